package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code /openapi.json} true: fetched from a running node, it must describe every endpoint
 * the admin listener serves and nothing it does not, each operation with its responses, its path
 * parameters and the token it really asks for.
 */
class OpenApiTest {

    private static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final String REGISTRATION_TOKEN = "test-registration-token";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}");
    /** The realm each security scheme answers 401 with. */
    private static final Map<String, String> REALMS = Map.of(
            "adminToken", "Bearer realm=\"gridgate-admin\"",
            "registrationToken", "Bearer realm=\"gridgate-registry\"");

    private static TestGateway gateway;
    private static HttpResponse<String> served;
    private static JsonNode document;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start("""
                server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1, drainTimeout: 1s}
                admin: {bindAddress: 127.0.0.1, port: 0, registrationToken: %s, token: %s}
                accessLog: {enabled: false}
                routes: []
                """.formatted(REGISTRATION_TOKEN, ADMIN_TOKEN));
        served = send(HttpRequest.newBuilder(gateway.adminUri("/openapi.json")).build());
        document = new ObjectMapper().readTree(served.body());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** One operation of the document: {@code METHOD /path/{param}}, its path item and itself. */
    private record Operation(String method, String path, JsonNode pathItem, JsonNode node) {

        String endpoint() {
            return method.toUpperCase() + " " + path;
        }
    }

    private static List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> entry : path.getValue().properties()) {
                if (METHODS.contains(entry.getKey())) {
                    operations.add(new Operation(entry.getKey(), path.getKey(), path.getValue(), entry.getValue()));
                }
            }
        }
        return operations;
    }

    private static JsonNode resolved(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : document.at(ref.asText().substring(1));
    }

    @Test
    @Covers(value = "GET /openapi.json", statuses = 200)
    void isServedWithoutATokenAsAnOpenApi3DocumentWithInfoPathsAndSecuritySchemes() {
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(document.path("openapi").asText()).matches("3\\.(0|1)\\.\\d+");
        assertThat(document.path("info").path("title").asText()).isNotBlank();
        assertThat(document.path("info").path("version").asText()).isNotBlank();
        assertThat(document.path("paths").isObject()).isTrue();
        assertThat(document.path("components").path("securitySchemes").fieldNames())
                .toIterable().containsExactlyInAnyOrderElementsOf(REALMS.keySet());
        assertThat(document.path("components").path("schemas").path("Error").path("required"))
                .extracting(JsonNode::asText).contains("status", "error", "message");
    }

    @Test
    void documentsEveryEndpointTheAdminListenerServes() {
        Set<String> documented = Endpoints.normalized(operations().stream().map(Operation::endpoint).toList());

        assertThat(Endpoints.normalized(gateway.node().adminEndpoints())).as("served but not in /openapi.json")
                .isSubsetOf(documented);
    }

    @Test
    void servesEveryOperationItDocuments() {
        Set<String> servedEndpoints = Endpoints.normalized(gateway.node().adminEndpoints());

        assertThat(Endpoints.normalized(operations().stream().map(Operation::endpoint).toList()))
                .as("in /openapi.json but not served").isSubsetOf(servedEndpoints);
    }

    @Test
    void everyOperationHasResponsesAndDeclaresEachPathParameterOfItsPath() {
        for (Operation operation : operations()) {
            assertThat(operation.node().path("responses").size()).as("responses of %s", operation.endpoint()).isPositive();
            Set<String> declared = new LinkedHashSet<>();
            for (JsonNode parameters : List.of(operation.pathItem().path("parameters"), operation.node().path("parameters"))) {
                for (JsonNode parameter : parameters) {
                    JsonNode p = resolved(parameter);
                    if (p.path("in").asText().equals("path")) {
                        assertThat(p.path("required").asBoolean()).as("%s is required in %s", p.path("name"), operation.endpoint())
                                .isTrue();
                        declared.add(p.path("name").asText());
                    }
                }
            }
            Set<String> inPath = new LinkedHashSet<>();
            Matcher matcher = PARAMETER.matcher(operation.path());
            while (matcher.find()) {
                inPath.add(matcher.group(1));
            }
            assertThat(declared).as("path parameters of %s", operation.endpoint()).isEqualTo(inPath);
        }
    }

    @Test
    void everyReferenceResolvesWithinTheDocument() {
        List<String> dangling = new ArrayList<>();
        collectDangling(document, dangling);

        assertThat(dangling).isEmpty();
    }

    private static void collectDangling(JsonNode node, List<String> dangling) {
        JsonNode ref = node.get("$ref");
        if (ref != null && (!ref.asText().startsWith("#/") || document.at(ref.asText().substring(1)).isMissingNode())) {
            dangling.add(ref.asText());
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collectDangling(children.next(), dangling);
        }
    }

    /**
     * Every operation states its security; one that names a token answers 401 without it, with
     * that token's realm, and one that names none answers without a token.
     */
    @Test
    void everyOperationStatesTheTokenItAsksForAndAsksForThatOne() throws Exception {
        for (Operation operation : operations()) {
            JsonNode security = operation.node().get("security");
            assertThat(security).as("security of %s", operation.endpoint()).isNotNull();
            assertThat(security.size()).as("schemes of %s", operation.endpoint()).isLessThanOrEqualTo(1);
            String path = PARAMETER.matcher(operation.path()).replaceAll("x1");
            HttpResponse<String> anonymous = send(HttpRequest.newBuilder(gateway.adminUri(path))
                    .method(operation.method().toUpperCase(), HttpRequest.BodyPublishers.ofString("{}")).build());
            if (security.isEmpty()) {
                assertThat(anonymous.statusCode()).as("%s without a token", operation.endpoint()).isNotIn(401, 403);
                continue;
            }
            String scheme = security.get(0).fieldNames().next();
            assertThat(REALMS).as("scheme of %s", operation.endpoint()).containsKey(scheme);
            assertThat(anonymous.statusCode()).as("%s without a token", operation.endpoint()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("www-authenticate")).as(operation.endpoint()).hasValue(REALMS.get(scheme));
            assertThat(operation.node().path("responses").has("401")).as("401 of %s", operation.endpoint()).isTrue();
        }
    }
}
