package io.gridgate.registry.client;

import java.net.URI;

/**
 * A gateway node refused the first registration with a 4xx: a configuration error, such as a wrong
 * token (401), registration switched off on the node (403) or a field it rejects (400, with every
 * problem listed in {@link #body()}). Retrying would not help, so {@code start()} throws this.
 */
public final class RegistrationException extends RuntimeException {

    private final URI adminUrl;
    private final int status;
    private final String body;

    RegistrationException(String instance, URI adminUrl, int status, String body) {
        super("registering " + instance + " through " + adminUrl + " was rejected with HTTP " + status + ": "
                + (body.isBlank() ? "(no body)" : body));
        this.adminUrl = adminUrl;
        this.status = status;
        this.body = body;
    }

    /** The admin URL of the node that refused. */
    public URI adminUrl() {
        return adminUrl;
    }

    /** The HTTP status, 400 to 499. */
    public int status() {
        return status;
    }

    /** The node's error body, as JSON: {@code status}, {@code error}, {@code message} and, for 400, {@code errors}. */
    public String body() {
        return body;
    }
}
