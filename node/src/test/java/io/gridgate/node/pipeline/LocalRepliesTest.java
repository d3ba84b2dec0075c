package io.gridgate.node.pipeline;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** What clients see when the gateway answers itself, and the headers a matched route adds. */
class LocalRepliesTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static TestUpstream upstream;
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("v:" + exchange.getRequestURI()));
        gateway = TestGateway.withRoutes("""
                - id: items
                  match: {path: /items, methods: [GET, POST]}
                  upstream: %1$s
                - id: users
                  match: {pathPrefix: /users}
                  versions:
                    from: [path]
                    targets:
                      "1": %1$s/one
                      "2": {upstream: "%1$s/two", deprecation: {since: "2026-01-01T00:00:00Z", sunset: "2027-01-01T00:00:00Z"}}
                """.formatted(upstream.url()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.close();
    }

    private static HttpResponse<String> send(String method, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(gateway.uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnmatchedRequestGets404WithAJsonReason() throws Exception {
        HttpResponse<String> response = send("GET", "/nothing/here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":404,\"error\":\"no_route\",\"message\":\"no route matches this request\"}");
    }

    @Test
    void aWrongMethodGets405WithAllow() throws Exception {
        HttpResponse<String> response = send("DELETE", "/items");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("allow")).hasValue("GET, POST");
        assertThat(response.body()).contains("\"error\":\"method_not_allowed\"");
    }

    @Test
    void anUnservedVersionGets404NamingTheServedOnes() throws Exception {
        HttpResponse<String> response = send("GET", "/v7/users");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("\"error\":\"unknown_version\"")
                .contains("route users serves API versions 1, 2; the request asked for version 7");
    }

    @Test
    void aDeprecatedVersionAnswersWithDeprecationAndSunsetHeaders() throws Exception {
        HttpResponse<String> deprecated = send("GET", "/v2/users/9");
        HttpResponse<String> current = send("GET", "/v1/users/9");

        assertThat(deprecated.body()).isEqualTo("v:/two/users/9");
        assertThat(deprecated.headers().firstValue("deprecation")).hasValue("@1767225600");
        assertThat(deprecated.headers().firstValue("sunset")).hasValue("Fri, 01 Jan 2027 00:00:00 GMT");
        assertThat(current.body()).isEqualTo("v:/one/users/9");
        assertThat(current.headers().firstValue("deprecation")).isEmpty();
    }
}
