package io.gridgate.node;

import io.gridgate.node.testing.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar as users run it: its own JVM, its exit codes, its output. */
class GridgateProcessIT {

    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+), admin on [^:]+:(\\d+)");
    private static final Path JAR = Path.of("target", "gridgate.jar");

    @TempDir
    Path dir;
    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<int[]> ports = new CompletableFuture<>();
    private Thread reader;

    @AfterEach
    void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private Process launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", Path.of("..", "bin", "gridgate").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GRIDGATE_JAR", JAR.toAbsolutePath().toString());
        process = builder.start();
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ports.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    /** Waits for the process to exit and for its output to be read to the end. */
    private int exitStatus() throws InterruptedException {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process exited").isTrue();
        reader.join(10_000);
        return process.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void servesTrafficThenDrainsAndExitsZeroOnSigterm() throws Exception {
        try (TestUpstream upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send("pong"))) {
            Path config = Files.writeString(dir.resolve("gridgate.yaml"), """
                    server: {bindAddress: 127.0.0.1, port: 0, ioThreads: 1}
                    admin: {bindAddress: 127.0.0.1, port: 0}
                    cluster: {name: it-%d, bindAddress: 127.0.0.1, port: %d}
                    routes:
                      - id: ping
                        match: {path: /ping}
                        upstream: %s
                    """.formatted(ProcessHandle.current().pid(), freePort(), upstream.url()));
            launch("--config", config.toString());
            int[] bound = ports.get(60, TimeUnit.SECONDS);
            HttpClient client = HttpClient.newHttpClient();

            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bound[1] + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> ping = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bound[0] + "/ping")).build(), HttpResponse.BodyHandlers.ofString());
            // SIGTERM; Process.destroy() would also close the pipes and lose the last lines.
            process.toHandle().destroy();

            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ping.body()).isEqualTo("pong");
            assertThat(exitStatus()).as("exit status; output:%n%s", String.join("\n", output)).isZero();
            assertThat(output).noneMatch(line -> line.contains("WARNING: ") && !line.contains(" INFO "))
                    .anyMatch(line -> line.contains("drained all in-flight requests"));
        }
    }

    @Test
    void reportsEveryConfigErrorWithFileLineAndPathAndExitsTwo() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), """
                server:
                  port: 70000
                routes:
                  - id: a
                    upstream: ftp://nowhere
                """);

        launch("--config", config.toString());

        assertThat(exitStatus()).isEqualTo(2);
        assertThat(output).anyMatch(line -> line.startsWith("bad.yaml:2:9 /server/port: 70000"))
                .anyMatch(line -> line.startsWith("bad.yaml:5:15 /routes/0/upstream: \"ftp://nowhere\""))
                .noneMatch(line -> line.contains("Exception"));
    }
}
