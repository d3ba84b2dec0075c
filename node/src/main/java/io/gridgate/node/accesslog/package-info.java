/**
 * The access log: {@link io.gridgate.node.accesslog.AccessLogHandler} formats one JSON line per
 * exchange when it completes ({@link io.gridgate.node.accesslog.AccessLine}, with sensitive query
 * parameters redacted by {@link io.gridgate.node.accesslog.QueryRedaction}) and offers it to
 * {@link io.gridgate.node.accesslog.AccessLog}, whose bounded queue a writer thread drains to standard
 * output or to a file rotated by size ({@link io.gridgate.node.accesslog.RotatingFile}). A full queue
 * drops lines and counts them: the I/O thread never waits for the log.
 */
package io.gridgate.node.accesslog;
