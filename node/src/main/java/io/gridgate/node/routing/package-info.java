/**
 * Route matching as pure decisions: a {@link io.gridgate.node.routing.RouteTable} is compiled once
 * from config (patterns, regexes, hosts) and answers {@code match(RequestView)} without touching
 * the network. Tables are immutable; {@link io.gridgate.node.routing.Router} swaps them atomically, with
 * the rest of their configuration version.
 */
package io.gridgate.node.routing;
