/**
 * Where proxied requests go: an {@link io.gridgate.node.upstream.Upstream} chooses an
 * {@link io.gridgate.node.upstream.Endpoint}, each endpoint owning a bounded keep-alive connection
 * pool. Static URLs are one kind of upstream; the service registry feeds another through the same
 * interface.
 */
package io.gridgate.node.upstream;
