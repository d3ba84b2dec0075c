package io.gridgate.node.auth;

/** The outcome of checking a credential. */
public sealed interface Verdict {

    /** The credential holds: here is who it proves. */
    record Verified(Identity identity) implements Verdict {
    }

    /**
     * The credential does not hold.
     *
     * @param description why, safe to show the client (an RFC 6750 {@code error_description}):
     *     never a key, a secret or the token itself
     */
    record Rejected(String description) implements Verdict {
    }
}
