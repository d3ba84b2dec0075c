package io.gridgate.cluster.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;

import java.io.Serial;
import java.io.Serializable;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Claims or releases a cache key's single-flight lease on its partition owner, judging expiry with
 * the owner's clock, so two members never both win. The backup receives the result rather than
 * deciding again with its own clock.
 */
final class FlightProcessor implements EntryProcessor<String, FlightProcessor.Flight, Boolean>, HazelcastInstanceAware {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Who holds a key's lease, and until when on the owner's clock. */
    record Flight(String owner, long untilMillis) implements Serializable {
    }

    private final String owner;
    /** The lease to grant; negative to release. */
    private final long leaseMillis;
    private transient Clock clock;
    private transient Flight written;
    private transient boolean removed;

    private FlightProcessor(String owner, long leaseMillis) {
        this.owner = owner;
        this.leaseMillis = leaseMillis;
    }

    static FlightProcessor claim(String owner, long leaseMillis) {
        return new FlightProcessor(owner, leaseMillis);
    }

    static FlightProcessor release(String owner) {
        return new FlightProcessor(owner, -1);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcast) {
        this.clock = HazelcastGrid.clockOf(hazelcast);
    }

    @Override
    public Boolean process(Map.Entry<String, Flight> entry) {
        long now = (clock == null ? Clock.systemUTC() : clock).millis();
        Flight current = entry.getValue();
        boolean held = current != null && current.untilMillis() > now;
        boolean mine = current != null && current.owner().equals(owner);
        written = null;
        removed = false;
        if (leaseMillis < 0) {
            if (current != null && (mine || !held)) {
                entry.setValue(null);
                removed = true;
            }
            return removed;
        }
        if (held && !mine) {
            return false;
        }
        written = new Flight(owner, now + leaseMillis);
        // The map's own TTL only clears leases nobody released; the clock above decides.
        ((ExtendedMapEntry<String, Flight>) entry).setValue(written, ttlSeconds(leaseMillis), TimeUnit.SECONDS);
        return true;
    }

    @Override
    public EntryProcessor<String, Flight, Boolean> getBackupProcessor() {
        if (written != null) {
            return new CopyFlight(written, ttlSeconds(leaseMillis));
        }
        return removed ? new CopyFlight(null, 0) : null;
    }

    /** Hazelcast's TTLs have one-second precision: round up, so a lease never vanishes early. */
    static long ttlSeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /** Puts the primary's result on the backup as it is (null removes). */
    private record CopyFlight(Flight flight, long ttlSeconds) implements EntryProcessor<String, Flight, Boolean> {

        @Override
        public Boolean process(Map.Entry<String, Flight> entry) {
            if (flight == null) {
                entry.setValue(null);
            } else {
                ((ExtendedMapEntry<String, Flight>) entry).setValue(flight, ttlSeconds, TimeUnit.SECONDS);
            }
            return null;
        }

        @Override
        public EntryProcessor<String, Flight, Boolean> getBackupProcessor() {
            return null;
        }
    }
}
