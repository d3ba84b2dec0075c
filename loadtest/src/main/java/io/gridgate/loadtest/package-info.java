/**
 * The proxy benchmark: a fixed-body {@link io.gridgate.loadtest.Backend}, a non-blocking HTTP/1.1
 * {@link io.gridgate.loadtest.LoadGenerator} (closed loop for throughput, open loop with coordinated-omission
 * correction for latency), and {@link io.gridgate.loadtest.ProxyBenchmark}, which compares direct, nginx and Gridgate
 * on loopback with the same generator and backend, or (the rate-limit scenario) one Gridgate node's routes without,
 * with leased and with exact rate limits, or (the cache scenario) direct, nginx and a node's plain route against its
 * verified cache hits, or (the observability scenario) a node without tracing and access log against one with both,
 * exporting to an {@link io.gridgate.loadtest.OtlpSink} on loopback, or (the compose scenario) the latency of the
 * slowest of three delayed upstreams directly, through a node, and composed with the other two by a composite route,
 * every answer's body checked, or (the plugins scenario) a plain node against one with JWT auth, a cluster rate limit
 * and tracing, or (the nodes scenario) one node against a cluster of three. {@link io.gridgate.loadtest.LoadCli} puts
 * the same generator on the command line: a fixed rate or a closed loop against one or more URLs, with a live progress
 * line and a report with percentiles, errors by kind and an SVG latency plot.
 *
 * <p>Public types are the ones a benchmark scenario needs; the selector loop, the response parser and the process
 * plumbing are package-private.
 */
package io.gridgate.loadtest;
