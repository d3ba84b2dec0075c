package io.gridgate.node.compose;

/**
 * Why a call produced no result: the reply the composition gives when the call was required, and
 * the words that name the cause in it.
 */
final class CallFailure extends RuntimeException {

    /** What kind of failure, which decides the status of a required call's failure. */
    enum Kind {
        /** No answer within the call's timeout or the composition's deadline: 504. */
        TIMEOUT,
        /** The upstream answered 404: the composed resource does not exist. */
        NOT_FOUND,
        /** Anything else: no endpoint, breaker open, connection failure, an error status, not JSON: 502. */
        FAILED
    }

    private final String call;
    private final Kind kind;

    CallFailure(String call, Kind kind, String reason) {
        super("call " + call + ": " + reason, null, false, false);
        this.call = call;
        this.kind = kind;
    }

    String call() {
        return call;
    }

    Kind kind() {
        return kind;
    }
}
