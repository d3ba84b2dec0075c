package io.gridgate.loadtest;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.SortedMap;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One endpoint's share of a generator thread: its connections, its schedule, and what it counted. Owned and mutated by
 * that thread only.
 */
final class Lane {

    final Endpoint endpoint;
    /** The encoded request; each connection reads it through a view of its own. */
    final ByteBuffer request;
    final int connectionCount;
    /** Null in closed loop. */
    final OpenLoopSchedule schedule;
    final ArrayDeque<HttpConnection> idle;
    final Histogram latency = new Histogram(3);
    /** Non-2xx responses by status; the parser only accepts three-digit codes. */
    private final long[] statuses = new long[1000];

    long nextIndex;
    long inFlight;
    long succeeded;
    long non2xx;
    long connectFailures;
    long timeouts;
    long ioErrors;
    long wrongBodies;

    Lane(Endpoint endpoint, ByteBuffer request, int connectionCount, OpenLoopSchedule schedule) {
        this.endpoint = endpoint;
        this.request = request;
        this.connectionCount = connectionCount;
        this.schedule = schedule;
        this.idle = new ArrayDeque<>(connectionCount);
    }

    void non2xx(int status) {
        non2xx++;
        statuses[status]++;
    }

    /** Due requests not yet sent when the lane stops issuing at {@code issueUntil}; none in closed loop. */
    long owed(long issueUntil) {
        return schedule == null ? 0 : schedule.countDueBefore(issueUntil) - nextIndex;
    }

    long errors() {
        return non2xx + connectFailures + timeouts + ioErrors + wrongBodies;
    }

    EndpointResult result() {
        SortedMap<Integer, Long> byStatus = new TreeMap<>();
        for (int status = 0; status < statuses.length; status++) {
            if (statuses[status] > 0) {
                byStatus.put(status, statuses[status]);
            }
        }
        ErrorCounts errors = new ErrorCounts(non2xx, connectFailures, timeouts, ioErrors, wrongBodies);
        return new EndpointResult(endpoint, succeeded, errors, byStatus, latency);
    }
}
