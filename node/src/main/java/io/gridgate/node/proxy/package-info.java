/**
 * The non-blocking reverse proxy: {@link io.gridgate.node.proxy.ProxyHandler} streams a matched
 * request to an upstream endpoint and the response back, with per-stage timeouts, and
 * {@link io.gridgate.node.proxy.ForwardingHeaders} decides which headers cross the hop.
 */
package io.gridgate.node.proxy;
