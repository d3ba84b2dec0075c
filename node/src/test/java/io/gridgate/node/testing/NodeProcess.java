package io.gridgate.node.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Gridgate node in a JVM of its own, started by {@code bin/gridgate} from the packaged jar, as
 * users run it: for tests about processes that stop, die or freeze. Its output is kept for the
 * failure messages.
 */
public final class NodeProcess {

    private static final Path JAR = Path.of("target", "gridgate.jar");

    private final Process process;
    private final int port;
    private final int adminPort;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private NodeProcess(Process process, int port, int adminPort) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Starts {@code bin/gridgate --config config}; {@code port} and {@code adminPort} are what the config says. */
    public static NodeProcess start(Path config, int port, int adminPort) throws IOException {
        return start(config, port, adminPort, List.of());
    }

    /**
     * As {@link #start(Path, int, int)}, with JVM flags for settings that are JVM-wide, such as the
     * default trust store. {@code bin/gridgate} splits {@code JAVA_OPTS} on spaces, so no flag may hold one.
     */
    public static NodeProcess start(Path config, int port, int adminPort, List<String> jvmFlags) throws IOException {
        if (jvmFlags.stream().anyMatch(flag -> flag.isBlank() || flag.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("bin/gridgate would split these flags: " + jvmFlags);
        }
        ProcessBuilder builder = new ProcessBuilder("bash", Path.of("..", "bin", "gridgate").toString(),
                "--config", config.toString()).redirectErrorStream(true);
        builder.environment().put("GRIDGATE_JAR", JAR.toAbsolutePath().toString());
        if (!jvmFlags.isEmpty()) {
            builder.environment().merge("JAVA_OPTS", String.join(" ", jvmFlags), (inherited, added) -> inherited + " " + added);
        }
        NodeProcess node = new NodeProcess(builder.start(), port, adminPort);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(node.process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    node.output.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        return node;
    }

    /** A free loopback port, for a config written before the node starts. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    public List<String> output() {
        return output;
    }

    public URI traffic(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public URI admin(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    /** The bash launcher execs java, so the process is the JVM itself: signals reach it directly. */
    public void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
    }
}
