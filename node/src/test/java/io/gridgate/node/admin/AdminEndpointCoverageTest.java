package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the admin API tested as it grows: every endpoint the node serves must be named by a test
 * ({@link Covers}) that asserts a success status and each of 400, 401, 404, 409 and 428 that
 * {@code /openapi.json} says the endpoint can answer.
 */
class AdminEndpointCoverageTest {

    private static final Set<Integer> CLIENT_ERRORS = Set.of(400, 401, 404, 409, 428);

    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.withRoutes("[]");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void everyServedEndpointIsNamedByATestAndEveryNamedOneIsServed() throws Exception {
        Map<String, Set<Integer>> covered = covered();

        assertThat(covered.keySet()).as("served endpoints no test names")
                .containsAll(Endpoints.normalized(gateway.node().adminEndpoints()));
        assertThat(Endpoints.normalized(gateway.node().adminEndpoints())).as("endpoints tests name that are not served")
                .containsAll(covered.keySet());
    }

    @Test
    void everyEndpointHasATestOfASuccessAndOfEachClientErrorItDocuments() throws Exception {
        Map<String, Set<Integer>> covered = covered();
        Map<String, Set<Integer>> documented = documented();
        List<String> missing = new ArrayList<>();

        for (String endpoint : Endpoints.normalized(gateway.node().adminEndpoints())) {
            Set<Integer> tested = covered.getOrDefault(endpoint, Set.of());
            Set<Integer> statuses = documented.getOrDefault(endpoint, Set.of());
            if (statuses.stream().filter(status -> status < 300).noneMatch(tested::contains)) {
                missing.add(endpoint + " success");
            }
            statuses.stream().filter(CLIENT_ERRORS::contains).filter(status -> !tested.contains(status))
                    .forEach(status -> missing.add(endpoint + " " + status));
        }

        assertThat(missing).as("documented statuses no test asserts").isEmpty();
    }

    /** What the tests of this package name, each endpoint with the statuses asserted for it. */
    private static Map<String, Set<Integer>> covered() throws Exception {
        Map<String, Set<Integer>> covered = new TreeMap<>();
        for (Class<?> type : testClasses()) {
            for (Method method : type.getDeclaredMethods()) {
                for (Covers covers : method.getAnnotationsByType(Covers.class)) {
                    for (String endpoint : covers.value()) {
                        Set<Integer> statuses = covered.computeIfAbsent(Endpoints.normalized(endpoint), key -> new TreeSet<>());
                        Arrays.stream(covers.statuses()).forEach(statuses::add);
                    }
                }
            }
        }
        return covered;
    }

    private static List<Class<?>> testClasses() throws Exception {
        Path directory = Path.of(AdminEndpointCoverageTest.class.getResource("").toURI());
        String prefix = AdminEndpointCoverageTest.class.getPackageName() + ".";
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = file.getFileName().toString();
                classes.add(Class.forName(prefix + name.substring(0, name.length() - ".class".length()), false,
                        AdminEndpointCoverageTest.class.getClassLoader()));
            }
        }
        return classes;
    }

    /** The statuses {@code /openapi.json} gives each operation. */
    private static Map<String, Set<Integer>> documented() throws Exception {
        JsonNode document;
        try (InputStream in = AdminEndpointCoverageTest.class.getResourceAsStream("/openapi.json")) {
            document = AdminHttp.JSON.readTree(in);
        }
        Map<String, Set<Integer>> documented = new TreeMap<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (operation.getKey().equals("parameters")) {
                return;
            }
            Set<Integer> statuses = new TreeSet<>();
            operation.getValue().path("responses").fieldNames().forEachRemaining(code -> statuses.add(Integer.parseInt(code)));
            documented.put(Endpoints.normalized(operation.getKey().toUpperCase() + " " + path.getKey()), statuses);
        }));
        return documented;
    }
}
