package io.gridgate.node.pipeline;

/**
 * Why the gateway answered a request itself instead of an upstream. The code lands in the JSON
 * body, the access log and the span, so it is stable: change a code only with a release note.
 */
public enum Reason {
    NO_ROUTE(404, "no_route", "no route matches this request"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "the route does not accept this method"),
    UNKNOWN_VERSION(404, "unknown_version", "the route does not serve the requested API version"),
    UPSTREAM_CONNECT_FAILED(502, "upstream_connect_failed", "could not connect to the upstream"),
    UPSTREAM_RESET(502, "upstream_reset", "the upstream closed the connection before responding"),
    NO_HEALTHY_UPSTREAM(503, "no_healthy_upstream", "no endpoint of the upstream can take the request"),
    CLIENT_ABORTED(400, "client_aborted", "the client stopped sending the request body"),
    CIRCUIT_OPEN(503, "circuit_open", "the upstream's circuit breaker is open; it is failing and is given time to recover"),
    UPSTREAM_POOL_FULL(503, "upstream_pool_full", "too many requests are waiting for an upstream connection"),
    UPSTREAM_CONNECT_TIMEOUT(504, "upstream_connect_timeout", "no upstream connection within the connect timeout"),
    UPSTREAM_RESPONSE_TIMEOUT(504, "upstream_response_timeout", "the upstream did not send a response head in time"),
    UPSTREAM_TIMEOUT(504, "upstream_timeout", "the upstream did not complete the response within the route's total timeout"),
    UNAUTHORIZED(401, "unauthorized", "a valid bearer token is required"),
    FORBIDDEN(403, "forbidden", "the authenticated identity may not use this route"),
    AUTH_UNAVAILABLE(503, "auth_unavailable", "the credential could not be checked; retry"),
    REGISTRATION_DISABLED(403, "registration_disabled", "service registration is off: set admin.registrationToken"),
    INVALID_REGISTRATION(400, "invalid_registration", "the registration is invalid"),
    INVALID_REQUEST(400, "invalid_request", "the request is invalid"),
    INVALID_PATH(400, "invalid_path", "the request path is malformed or ambiguous"),
    IP_DENIED(403, "ip_denied", "the client address may not use this route"),
    CORS_REJECTED(403, "cors_rejected", "the CORS preflight asks for an origin, method or header the route does not allow"),
    MALFORMED_REQUEST(400, "malformed_request", "the request is not well-formed HTTP/1.1"),
    AMBIGUOUS_FRAMING(400, "ambiguous_framing", "the length of the request body is ambiguous or malformed"),
    INVALID_HOST(400, "invalid_host", "the Host header is missing, repeated or empty"),
    URI_TOO_LONG(414, "uri_too_long", "the request target is too long"),
    HEADERS_TOO_LARGE(431, "headers_too_large", "the request has too many header fields or they are too large"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large", "the request body is too large"),
    INSTANCE_NOT_FOUND(404, "instance_not_found", "no such registered instance"),
    SERVICE_NOT_FOUND(404, "service_not_found", "no instance of this service is registered"),
    ADMIN_DISABLED(403, "admin_api_disabled", "the admin API is off: set admin.token"),
    BREAKER_NOT_FOUND(404, "breaker_not_found", "no such circuit breaker"),
    RATE_LIMIT_NOT_FOUND(404, "rate_limit_not_found", "no such route or rate-limit policy"),
    GRID_UNAVAILABLE(503, "grid_unavailable", "the cluster did not answer; retry"),
    REGISTRY_UNAVAILABLE(503, "registry_unavailable", "the cluster registry did not answer; retry"),
    RATE_LIMITED(429, "rate_limited", "too many requests"),
    OVERLOADED(503, "overloaded", "too many requests in flight"),
    TOO_MANY_IN_FLIGHT(429, "too_many_in_flight", "too many requests in flight from this client"),
    RATE_LIMIT_UNAVAILABLE(503, "rate_limit_unavailable", "the rate limiter did not answer in time and the policy refuses requests then"),
    SHUTTING_DOWN(503, "shutting_down", "this node is draining; retry on another node"),
    INVALID_CONFIG(400, "invalid_config", "the configuration is invalid"),
    VERSION_CONFLICT(409, "version_conflict", "the configuration changed since the version this change is based on"),
    PRECONDITION_REQUIRED(428, "precondition_required",
            "a change must name the version it is based on in If-Match (the ETag of GET /admin/config)"),
    NOT_FOUND(404, "not_found", "no such resource"),
    CALL_FAILED(502, "call_failed", "a call of the composition failed"),
    CALL_TIMEOUT(504, "call_timeout", "a call of the composition did not answer in time"),
    INTERNAL(500, "internal_error", "the gateway failed to handle the request");

    private final int status;
    private final String code;
    private final String message;

    Reason(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** Whether the reply counts against the upstream endpoint's health (outlier detection). */
    public boolean blamesUpstream() {
        return switch (this) {
            case UPSTREAM_CONNECT_FAILED, UPSTREAM_RESET, UPSTREAM_CONNECT_TIMEOUT, UPSTREAM_RESPONSE_TIMEOUT,
                 UPSTREAM_TIMEOUT -> true;
            default -> false;
        };
    }
}
