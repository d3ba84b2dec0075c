package io.gridgate.loadtest;

/**
 * Failures of one run, by kind.
 *
 * @param non2xx complete responses whose status was outside 200..299
 * @param connectFailures connections refused, reset or not established within the request timeout
 * @param timeouts requests without a complete response within the request timeout, or never sent before the run ended
 * @param ioErrors connections reset or closed mid-response, and malformed responses
 * @param wrongBodies 2xx responses whose body was not the one the run expects (only runs that check bodies, see
 *     {@link LoadSpec.Builder#expectBody})
 */
public record ErrorCounts(long non2xx, long connectFailures, long timeouts, long ioErrors, long wrongBodies) {

    /** No errors at all. */
    public static final ErrorCounts NONE = new ErrorCounts(0, 0, 0, 0, 0);

    /** All errors together. */
    public long total() {
        return non2xx + connectFailures + timeouts + ioErrors + wrongBodies;
    }

    /** The sum of two tallies, for merging the generator's threads. */
    public ErrorCounts plus(ErrorCounts other) {
        return new ErrorCounts(
                non2xx + other.non2xx,
                connectFailures + other.connectFailures,
                timeouts + other.timeouts,
                ioErrors + other.ioErrors,
                wrongBodies + other.wrongBodies);
    }

    @Override
    public String toString() {
        return total() == 0
                ? "none"
                : String.format("non-2xx=%d connect=%d timeout=%d io=%d", non2xx, connectFailures, timeouts, ioErrors)
                        + (wrongBodies > 0 ? " wrong-body=" + wrongBodies : "");
    }
}
