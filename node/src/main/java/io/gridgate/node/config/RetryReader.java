package io.gridgate.node.config;

import io.gridgate.node.config.RetryConfig.Condition;
import io.gridgate.node.config.ValueType.Checked;
import io.gridgate.node.config.YamlNode.Scalar;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads a route's {@code retry}: how many tries, on which failures, and the wait between them. */
final class RetryReader {

    static final String[] KEYS = {"attempts", "perTryTimeout", "backoff", "on", "nonIdempotent", "maxBufferedBody"};

    private static final String ON_ITEM = "connect-failure, reset, timeout or a status from 400 to 599";
    private static final Map<String, Condition> CONDITIONS = Map.of(
            "connect-failure", Condition.CONNECT_FAILURE, "reset", Condition.RESET, "timeout", Condition.TIMEOUT);
    private static final ValueType<Integer> STATUS = ValueTypes.integer(400, 599);
    private static final long MAX_BUFFERED_BODY = 16 * 1024 * 1024;

    private RetryReader() {
    }

    /** @param total the route's total timeout; empty when invalid, so that nothing is compared with it */
    static RetryConfig read(Section s, Optional<Duration> total) {
        RetryConfig d = RetryConfig.DEFAULT;
        int attempts = s.get("attempts", ValueTypes.integer(1, 10), d.attempts());
        Optional<Duration> perTryTimeout = s.optional("perTryTimeout", Durations.type());
        if (perTryTimeout.isPresent() && total.isPresent() && perTryTimeout.get().compareTo(total.get()) > 0) {
            s.reject("perTryTimeout", "at most timeouts.total (" + Durations.format(total.get()) + ")");
        }
        Section backoff = s.child("backoff", "base", "max");
        Duration base = backoff.get("base", Durations.type(), d.backoffBase());
        Duration max = backoff.get("max", Durations.type(), d.backoffMax());
        checkBackoff(backoff, base, max);
        List<Object> on = on(s);
        return new RetryConfig(attempts, perTryTimeout, base, max,
                s.has("on") ? only(on, Condition.class) : d.conditions(),
                s.has("on") ? only(on, Integer.class) : d.statuses(),
                s.get("nonIdempotent", ValueTypes.bool(), d.nonIdempotent()),
                s.get("maxBufferedBody", ValueTypes.byteSize(MAX_BUFFERED_BODY), d.maxBufferedBody()));
    }

    /** Blames the delay the user wrote: a default can only clash with the other one, written. */
    private static void checkBackoff(Section s, Duration base, Duration max) {
        if (s.failed("base") || s.failed("max") || base.compareTo(max) <= 0) {
            return;
        }
        if (s.isSet("base")) {
            s.reject("base", "at most max (" + Durations.format(max) + ")");
        } else {
            s.reject("max", "at least base (" + Durations.format(base) + ")");
        }
    }

    /** Conditions and statuses in one list, as written; the list replaces both defaults. */
    private static List<Object> on(Section s) {
        List<Object> on = s.list("on", RetryReader::onItem, "a sequence such as [connect-failure, reset, 503]", null);
        if (s.has("on") && on.isEmpty() && !s.failed("on")) {
            // Retrying nothing is what attempts: 1 says; an empty list is more likely a slip.
            s.reject("on", "at least one condition or status; attempts: 1 turns retries off");
        }
        return on;
    }

    private static Checked<Object> onItem(YamlNode node) {
        if (node instanceof Scalar s && s.type() == Scalar.Type.STRING && CONDITIONS.containsKey(s.text())) {
            return Checked.ok(CONDITIONS.get(s.text()));
        }
        Checked<Integer> status = STATUS.check(node);
        return status.ok() ? Checked.ok(status.value()) : Checked.rejected(ON_ITEM);
    }

    private static <T> Set<T> only(List<Object> items, Class<T> type) {
        return items.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toSet());
    }
}
