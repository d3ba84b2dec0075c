package io.gridgate.node.config;

import java.time.Duration;

/**
 * The keep-alive connection pool to each upstream host.
 *
 * @param maxConnections per upstream host and per I/O thread
 * @param maxQueue requests that may wait for a connection when all are busy, per host and I/O thread
 * @param idleTimeout how long an idle pooled connection is kept
 */
public record PoolConfig(int maxConnections, int maxQueue, Duration idleTimeout) {
}
