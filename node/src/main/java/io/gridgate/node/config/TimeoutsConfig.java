package io.gridgate.node.config;

import java.time.Duration;

/**
 * Per-route bounds on each stage of an upstream call; all are positive.
 *
 * @param connect opening a connection, or waiting for one from a full pool
 * @param responseHeader from the request sent to the response head received
 * @param total from the route matched to the response complete
 */
public record TimeoutsConfig(Duration connect, Duration responseHeader, Duration total) {
}
