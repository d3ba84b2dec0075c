package io.gridgate.cluster.internal;

import io.gridgate.cluster.BreakerNotice;
import io.gridgate.cluster.BreakerNotice.Kind;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The grid's value for one breaker: its cluster-wide state and the members' votes, with the pure
 * transitions its entry processor applies on the partition owner.
 *
 * @param openUntilMillis epoch millis; {@link Long#MAX_VALUE} when forced open, 0 when closed
 * @param version 0 until the first change, so an entry that holds only votes publishes nothing
 * @param votes member id to the epoch millis its vote runs out
 */
record BreakerState(Kind kind, long openUntilMillis, long version, String origin, Map<String, Long> votes)
        implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** A breaker the grid holds nothing for. */
    static final BreakerState NONE = new BreakerState(Kind.CLOSED, 0, 0, null, Map.of());

    /** Votes this close to the current opening extend it by too little to be worth a notice to every member. */
    static final long SAME_OPENING_MILLIS = 1_000;

    /** How long an entry outlives everything in it, so a member that joins late still reads the last change. */
    static final long RETAIN_MILLIS = Duration.ofMinutes(10).toMillis();

    /** For {@code ExtendedMapEntry.setValue}: no expiry. */
    static final long NO_EXPIRY = 0;

    /** Beyond this an entry is kept forever rather than risk overflowing the grid's expiry arithmetic. */
    private static final long MAX_TTL_MILLIS = Duration.ofDays(3650).toMillis();

    BreakerState {
        votes = Map.copyOf(votes);
    }

    BreakerState trip(String member, long openUntil, int quorum, long now) {
        Map<String, Long> live = liveVotes(now);
        live.remove(member);
        if (openUntil > now) {
            live.put(member, openUntil);
        }
        if (kind == Kind.FORCED_OPEN || live.size() < quorum) {
            return withVotes(live);
        }
        long candidate = live.values().stream().sorted((a, b) -> Long.compare(b, a)).skip(quorum - 1L)
                .findFirst().orElseThrow();
        boolean alreadyOpen = kind == Kind.OPEN && openUntilMillis > now;
        if (alreadyOpen && openUntilMillis >= candidate - SAME_OPENING_MILLIS) {
            return withVotes(live);
        }
        return new BreakerState(Kind.OPEN, candidate, nextVersion(now), member, live);
    }

    BreakerState forceOpen(String member, long now) {
        return new BreakerState(Kind.FORCED_OPEN, Long.MAX_VALUE, nextVersion(now), member, liveVotes(now));
    }

    BreakerState forceClose(String member, long now) {
        return new BreakerState(Kind.CLOSED, 0, nextVersion(now), member, Map.of());
    }

    /** A version above this entry's and above any an expired entry of the same breaker could have had. */
    private long nextVersion(long now) {
        return Math.max(version + 1, now);
    }

    private Map<String, Long> liveVotes(long now) {
        Map<String, Long> live = new HashMap<>(votes);
        live.values().removeIf(until -> until <= now);
        return live;
    }

    private BreakerState withVotes(Map<String, Long> live) {
        return new BreakerState(kind, openUntilMillis, version, origin, live);
    }

    /** Keeps the entry while it is open or holds live votes, and {@link #RETAIN_MILLIS} beyond. */
    long ttlMillis(long now) {
        if (kind == Kind.FORCED_OPEN) {
            return NO_EXPIRY;
        }
        long latest = kind == Kind.OPEN ? openUntilMillis : now;
        for (long until : votes.values()) {
            latest = Math.max(latest, until);
        }
        long remaining = Math.max(0, latest - now);
        return remaining > MAX_TTL_MILLIS ? NO_EXPIRY : remaining + RETAIN_MILLIS;
    }

    boolean hasNotice() {
        return version > 0;
    }

    BreakerNotice notice(String breaker) {
        Instant openUntil = switch (kind) {
            case OPEN -> Instant.ofEpochMilli(openUntilMillis);
            case FORCED_OPEN -> Instant.MAX;
            case CLOSED -> Instant.EPOCH;
        };
        return new BreakerNotice(breaker, kind, openUntil, version, origin);
    }

    /** Epoch millis of an instant, saturated: a caller may mean "for ever" by a very late one. */
    static long millis(Instant instant) {
        if (instant.isAfter(Instant.ofEpochMilli(Long.MAX_VALUE))) {
            return Long.MAX_VALUE;
        }
        if (instant.isBefore(Instant.ofEpochMilli(Long.MIN_VALUE))) {
            return Long.MIN_VALUE;
        }
        return instant.toEpochMilli();
    }
}
