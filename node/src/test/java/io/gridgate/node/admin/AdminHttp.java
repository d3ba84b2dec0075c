package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.TestGateway;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests to one node's admin listener over loopback, and the checks every admin answer shares. */
final class AdminHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN_REALM = "Bearer realm=\"gridgate-admin\"";
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final TestGateway gateway;
    private final String token;

    AdminHttp(TestGateway gateway, String token) {
        this.gateway = gateway;
        this.token = token;
    }

    /**
     * A node on ephemeral loopback ports with these admin tokens (either may be null for none) and
     * this shared configuration.
     */
    static TestGateway node(String adminToken, String registrationToken, String sharedYaml) {
        String tokens = (adminToken == null ? "" : ", token: " + adminToken)
                + (registrationToken == null ? "" : ", registrationToken: " + registrationToken);
        return TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0%s}
                accessLog: {enabled: false}
                """.formatted(tokens) + sharedYaml);
    }

    /** With the token this client was given; {@code ifMatch} and {@code body} may be null. */
    HttpResponse<String> send(String method, String path, String ifMatch, String body) {
        return send(method, path, "Bearer " + token, ifMatch, body);
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null, null);
    }

    /** With this {@code Authorization} header, or none when it is null. */
    HttpResponse<String> send(String method, String path, String authorization, String ifMatch, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.adminUri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed", e);
        }
    }

    /** The version in force, as the ETag of {@code GET /admin/config} names it. */
    String version() {
        return get("/admin/config").headers().firstValue("ETag").orElseThrow();
    }

    static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return status == 204 ? JSON.nullNode() : json(response);
    }

    /** A reply the node made itself: JSON with the status repeated, the code and a message. */
    static JsonNode error(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("error").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
        return body;
    }

    /** A 401 that names the realm of the token it wants. */
    static void unauthorized(HttpResponse<String> response, String realm) {
        error(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("www-authenticate")).hasValue(realm);
    }

    /**
     * The one problem of {@code body}'s errors at {@code field}: it states its constraint, and its
     * message is the operator's line for field, value and constraint (a configuration problem's
     * is the file's message).
     */
    static JsonNode problem(JsonNode body, String field) {
        Optional<JsonNode> found = Optional.empty();
        for (JsonNode error : body.path("errors")) {
            if (error.path("field").asText().equals(field)) {
                assertThat(found).as("one problem at %s in %s", field, body).isEmpty();
                found = Optional.of(error);
            }
        }
        JsonNode error = found.orElseThrow(() -> new AssertionError("no problem at field " + field + " in " + body));
        String constraint = error.path("constraint").asText();
        assertThat(constraint).as("constraint of %s", field).isNotBlank();
        if (!error.has("text")) {
            // A configuration problem keeps the file's message, which may word its constraint its own way.
            assertThat(error.path("message").asText()).contains("(expected: " + constraint + ")");
        }
        return error;
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }
}
