/**
 * Prometheus metrics of the node: {@link io.gridgate.node.metrics.GatewayMetrics} owns the registry
 * and its bounded label sets, {@link io.gridgate.node.metrics.MetricsHandler} records each exchange
 * when it completes, and {@link io.gridgate.node.metrics.ScrapeHandler} serves {@code GET /metrics}
 * on the admin port through the Prometheus Java client's own text writers.
 */
package io.gridgate.node.metrics;
