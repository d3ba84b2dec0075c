package io.gridgate.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;

import java.io.Serial;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Changes a breaker on its partition owner, judging with the owner's clock which votes have run
 * out, so every member's vote is counted against one clock. The backup receives the result rather
 * than deciding again with its own clock, and nothing is written (so no event fires) when nothing
 * changed.
 */
final class BreakerProcessor implements EntryProcessor<String, BreakerState, Void>, HazelcastInstanceAware {

    @Serial
    private static final long serialVersionUID = 1L;

    private enum Command { TRIP, FORCE_OPEN, FORCE_CLOSE }

    private final Command command;
    private final String member;
    private final long openUntil;
    private final int quorum;
    private transient Clock clock;
    private transient BreakerState written;
    private transient long writtenTtl;

    private BreakerProcessor(Command command, String member, long openUntil, int quorum) {
        this.command = command;
        this.member = member;
        this.openUntil = openUntil;
        this.quorum = quorum;
    }

    static BreakerProcessor trip(String member, long openUntil, int quorum) {
        return new BreakerProcessor(Command.TRIP, member, openUntil, quorum);
    }

    static BreakerProcessor forceOpen(String member) {
        return new BreakerProcessor(Command.FORCE_OPEN, member, 0, 0);
    }

    static BreakerProcessor forceClose(String member) {
        return new BreakerProcessor(Command.FORCE_CLOSE, member, 0, 0);
    }

    /** Called on the member that runs the processor: the owner, whose clock then decides. */
    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.clock = HazelcastGrid.clockOf(hazelcast);
    }

    @Override
    public Void process(Map.Entry<String, BreakerState> entry) {
        long now = (clock == null ? Clock.systemUTC() : clock).millis();
        BreakerState before = entry.getValue() == null ? BreakerState.NONE : entry.getValue();
        BreakerState after = switch (command) {
            case TRIP -> before.trip(member, openUntil, quorum, now);
            case FORCE_OPEN -> before.forceOpen(member, now);
            case FORCE_CLOSE -> before.forceClose(member, now);
        };
        written = null;
        if (!after.equals(before)) {
            writtenTtl = after.ttlMillis(now);
            ((ExtendedMapEntry<String, BreakerState>) entry).setValue(after, writtenTtl, TimeUnit.MILLISECONDS);
            written = after;
        }
        return null;
    }

    @Override
    public EntryProcessor<String, BreakerState, Void> getBackupProcessor() {
        return written == null ? null : new CopyState(written, writtenTtl);
    }

    /** Puts the owner's result on the backup as it is. */
    private record CopyState(BreakerState state, long ttlMillis) implements EntryProcessor<String, BreakerState, Void> {

        @Override
        public Void process(Map.Entry<String, BreakerState> entry) {
            ((ExtendedMapEntry<String, BreakerState>) entry).setValue(state, ttlMillis, TimeUnit.MILLISECONDS);
            return null;
        }

        @Override
        public EntryProcessor<String, BreakerState, Void> getBackupProcessor() {
            return null;
        }
    }
}
