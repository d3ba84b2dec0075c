package io.gridgate.cluster;

import java.time.Instant;

/** One member's state of one breaker, as it last reported it. */
public record BreakerView(String member, String breaker, String state, Instant since) {
}
