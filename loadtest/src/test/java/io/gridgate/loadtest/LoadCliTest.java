package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class LoadCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void spreadsAnOpenLoopEvenlyOverThreeNodesWithTheJwtAndWritesTheReport(@TempDir Path dir) throws IOException {
        Node[] nodes = {Node.start(200), Node.start(200), Node.start(200)};
        try {
            int status = run("--url", nodes[0].url() + "," + nodes[1].url(), "--url", nodes[2].url(),
                    "--rate", "60", "--duration", "1500ms", "--warmup", "0s", "--connections", "6",
                    "--header", "Authorization: Bearer aaa.bbb.ccc", "--report-dir", dir.toString());

            assertThat(status).as(stderr()).isZero();
            // 60 req/s for 1.5 s: 90 requests, 30 per node, each due at its time whatever the scheduling.
            for (Node node : nodes) {
                assertThat(node.requests.get()).isEqualTo(30);
                assertThat(node.authorizations).containsOnlyKeys("Bearer aaa.bbb.ccc");
            }
            assertThat(stdout()).contains("GET over 3 URLs, open loop at 60 req/s, 6 connections on 1 thread(s)")
                    .contains("requests    90 answered 2xx in the 1.5 s window")
                    .contains("rate        60.0 req/s achieved, 60 req/s asked")
                    .contains("errors      none")
                    .contains("       30  33.3%        0 ");
            for (Node node : nodes) {
                assertThat(stdout()).contains(node.url());
            }
            assertThat(stderr()).contains("load: GET over 3 URLs").containsPattern("   1s +[0-9.]+ req/s  errors 0");
            assertThat(stderr()).doesNotContain("\r"); // not a terminal: plain lines
            List<Path> files;
            try (Stream<Path> listing = Files.list(dir)) {
                files = listing.sorted().toList();
            }
            assertThat(files).extracting(p -> p.getFileName().toString())
                    .allMatch(n -> n.matches("load-\\d{8}-\\d{6}\\.(json|hgrm|html)")).hasSize(3);
            for (Path file : files) {
                assertThat(stdout()).contains(file.toString());
            }
            String json = Files.readString(files.stream().filter(p -> p.toString().endsWith(".json")).findFirst()
                    .orElseThrow());
            assertThat(json).contains("\"succeeded\": 90", "\"total\": 0").doesNotContain("aaa.bbb.ccc");
        } finally {
            Stream.of(nodes).forEach(Node::stop);
        }
    }

    @Test
    void breaksDownFailuresByStatusAndExitsWithThree(@TempDir Path dir) throws IOException {
        Node ok = Node.start(200);
        Node failing = Node.start(503);
        try {
            int status = run("--url", ok.url() + "," + failing.url(), "--rate", "40", "--duration", "1s",
                    "--warmup", "0s", "--method", "POST", "--body", "{\"sku\":1}", "--report-dir", dir.toString());

            assertThat(status).isEqualTo(3);
            assertThat(ok.requests.get()).isEqualTo(20);
            assertThat(failing.requests.get()).isEqualTo(20);
            assertThat(ok.bodies).containsOnlyKeys("{\"sku\":1}");
            assertThat(stdout()).contains("errors      20 (warm-up included)")
                    .containsPattern("status 503 +20\n");
        } finally {
            ok.stop();
            failing.stop();
        }
    }

    @Test
    void rejectsBadFlagsWithExitTwoAndTheReason() {
        assertThat(run("--url", "http://127.0.0.1:1/", "--rate", "-5")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("load: --rate: -5 (expected: requests per second, a number > 0)\n"
                + "load: --help lists the flags\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void rejectsAnUnreadableBodyFileBeforeSendingAnything(@TempDir Path dir) {
        assertThat(run("--url", "http://127.0.0.1:1/", "--rate", "5", "--body-file",
                dir.resolve("missing.json").toString())).isEqualTo(2);
        assertThat(stderr()).startsWith("load: --body-file: " + dir.resolve("missing.json")
                + " (expected: a readable file;");
    }

    @Test
    void printsTheFlagsOnHelp() {
        assertThat(run("--url", "http://x/", "--help")).isZero();
        assertThat(stdout()).isEqualTo(LoadCliOptions.USAGE).contains("--closed-loop", "--header", "--report-dir");
    }

    private int run(String... args) {
        return LoadCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A JDK HTTP server on a loopback ephemeral port that counts requests and the headers and bodies it got. */
    private record Node(HttpServer server, AtomicInteger requests, Map<String, Integer> authorizations,
            Map<String, Integer> bodies) {

        static Node start(int status) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            Node node = new Node(server, new AtomicInteger(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
            server.createContext("/", exchange -> {
                node.requests.incrementAndGet();
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    node.authorizations.merge(auth, 1, Integer::sum);
                }
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (body.length > 0) {
                    node.bodies.merge(new String(body, StandardCharsets.UTF_8), 1, Integer::sum);
                }
                byte[] answer = "ok".getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return node;
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/orders";
        }

        void stop() {
            server.stop(0);
        }
    }
}
