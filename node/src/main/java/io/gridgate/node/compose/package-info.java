/**
 * Composite routes: one client request answered by several upstream calls, run in parallel as their
 * inputs allow, each through the registry, load balancing, breakers and tracing of a proxied request,
 * and merged into one JSON document.
 */
package io.gridgate.node.compose;
