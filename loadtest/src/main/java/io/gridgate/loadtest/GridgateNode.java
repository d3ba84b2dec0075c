package io.gridgate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** A Gridgate node started from its jar, proxying to the backend: one route for every path, or the given routes. */
final class GridgateNode implements Target {

    /** The flags the node's contract asks for: Hazelcast reflects into these JDK internals. */
    static final List<String> REQUIRED_JVM_FLAGS = List.of(
            "--add-modules", "java.se",
            "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "-Dhazelcast.phone.home.enabled=false");

    /**
     * The node's heap and collector, chosen for a JVM that shares one CPU with the generator, the backend and nginx.
     *
     * <ul>
     *   <li>A fixed heap ({@code -Xms = -Xmx}) so that growing or shrinking it never lands inside a measurement;
     *       512 MiB is far above the node's live set here (about 14 MiB after a young collection).
     *   <li>Pre-touched, so first-touch page faults happen at start-up and not in the first runs.
     *   <li>The serial collector: on one CPU there is no second core for parallel GC threads to use or for G1's
     *       concurrent marking and refinement threads to run on; they would only time-slice against the load on the
     *       same core, adding context switches and smearing GC work over the runs. Serial does it all in one short
     *       stop-the-world pause (a young collection of about 1 ms every 0.6 s at saturation, some 0.2% of the
     *       core, see the node's gc.log). It is also what the JVM picks by itself when it sees one CPU; stated
     *       here so the run does not depend on that, and so split mode (the node alone on its core) uses the same
     *       collector.
     * </ul>
     */
    static final List<String> HEAP_FLAGS = List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC");

    /**
     * Every node's access log unless a scenario says otherwise: off, as nginx's ({@code access_log off}). The node logs
     * every request to stdout when its config has no {@code accessLog} section (since b3b6f93), which would put a line
     * per request into the node's log file and its cost into every figure.
     */
    static final String NO_ACCESS_LOG = "accessLog: {enabled: false}\n";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final InetSocketAddress address;
    private final ChildProcess process;
    /** Null unless started {@link #withGridStats}. */
    private final GridStats stats;

    private GridgateNode(String name, InetSocketAddress address, ChildProcess process, GridStats stats) {
        this.name = name;
        this.address = address;
        this.process = process;
        this.stats = stats;
    }

    /** A node with one route for every path to {@code backend}, as the proxy benchmark measures it. */
    static GridgateNode start(Path jar, InetSocketAddress backend, Path workDir, CpuPinning pinning) {
        return launch(jar, "gridgate", catchAllRoute(backend), NO_ACCESS_LOG, false, workDir, pinning);
    }

    /**
     * A node with {@code routes} (YAML list items, as {@link #catchAllRoute} writes them) whose rate-limit grid round
     * trips are counted, see {@link #gridRoundTrips()}.
     */
    static GridgateNode withGridStats(Path jar, String routes, Path workDir, CpuPinning pinning) {
        return launch(jar, "gridgate", routes, NO_ACCESS_LOG, true, workDir, pinning);
    }

    /** A node with {@code routes} (YAML list items, as {@link #route} writes them). */
    static GridgateNode withRoutes(Path jar, String routes, Path workDir, CpuPinning pinning) {
        return launch(jar, "gridgate", routes, NO_ACCESS_LOG, false, workDir, pinning);
    }

    /**
     * A node {@code name} (its directory under {@code workDir} and its name in messages, so that two nodes can run side
     * by side) with {@code routes} and further top-level config {@code sections} (YAML at column 0, such as
     * {@code tracing:}), appended after the routes; they replace {@link #NO_ACCESS_LOG}, so they say what the access
     * log does.
     */
    static GridgateNode withSections(Path jar, String name, String routes, String sections, Path workDir,
            CpuPinning pinning) {
        return launch(jar, name, routes, sections, false, workDir, pinning);
    }

    /**
     * Writes the node config into {@code workDir}, starts a copy of the jar and waits for {@code /health/ready} and for
     * its traffic port to accept connections.
     *
     * <p>A copy, because others rebuild {@code node/target} while benchmarks run: a node reading its classes from a jar
     * that is being rewritten may load classes of two builds (a cache-scenario run met a node that missed every
     * request while its jar was being rebuilt). The copy is one consistent build for the whole run.
     */
    private static GridgateNode launch(Path jar, String name, String routes, String sections, boolean gridStats,
            Path workDir, CpuPinning pinning) {
        requireJar(jar);
        int port = FreePorts.next();
        int adminPort = FreePorts.next();
        Path dir = workDir.resolve(name);
        Path config = dir.resolve("gridgate.yaml");
        Path snapshot = dir.resolve("gridgate.jar");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, config(routes, port, adminPort, FreePorts.next()) + sections);
            Files.copy(jar, snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config + " or " + snapshot, e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(REQUIRED_JVM_FLAGS);
        command.addAll(HEAP_FLAGS);
        // GC pauses in the node's own log: a latency spike can then be told apart from one caused by the machine.
        command.add("-Xlog:gc:file=" + dir.resolve("gc.log") + ":uptime,tags");
        GridStats stats = null;
        if (gridStats) {
            int jmxPort = FreePorts.next();
            command.addAll(GridStats.jvmFlags(jmxPort));
            stats = GridStats.at(jmxPort);
        }
        // Extra flags for the node only, such as a flight recording to see where its CPU goes.
        String extra = System.getenv("GRIDGATE_BENCH_NODE_FLAGS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-jar", snapshot.toString(), "--config", config.toString()));
        ChildProcess process = ChildProcess.start(name, pinning.onProxyCpu(command), dir.resolve("node.log"));
        GridgateNode node = new GridgateNode(name, new InetSocketAddress("127.0.0.1", port), process, stats);
        try {
            URI ready = URI.create("http://127.0.0.1:" + adminPort + "/health/ready");
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            // Both: the node has answered ready before its traffic listener was up (by about 1.5 s on one CPU), and
            // the first runs would then measure refused connections.
            process.awaitReady(() -> answers200(client, ready) && accepts(node.address), START_TIMEOUT);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Fails with the flag and a way out if the node jar is not there. */
    static void requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--gridgate-jar: " + jar.toAbsolutePath() + " does not exist (expected:"
                    + " the node's shaded jar; build it with ./mvnw -q -B -DskipTests package, or pass --targets"
                    + " direct,nginx)");
        }
    }

    /** The node config: one I/O thread, as nginx gets one worker; everything on loopback. */
    static String config(String routes, int port, int adminPort, int clusterPort) {
        return """
                server: {bindAddress: 127.0.0.1, port: %d, ioThreads: 1}
                admin: {bindAddress: 127.0.0.1, port: %d}
                cluster: {bindAddress: 127.0.0.1, port: %d}
                routes:
                """.formatted(port, adminPort, clusterPort) + routes;
    }

    /** The proxy benchmark's one route: every path to {@code backend}. */
    static String catchAllRoute(InetSocketAddress backend) {
        return route("bench", "/", backend);
    }

    /**
     * A route {@code id} sending {@code pathPrefix} and every path under it to {@code backend}, as a YAML list item
     * under {@code routes:}; a route's further settings follow it indented by four spaces.
     */
    static String route(String id, String pathPrefix, InetSocketAddress backend) {
        return """
                  - id: %s
                    match: {pathPrefix: %s}
                    upstream: %s
                """.formatted(id, pathPrefix, upstream(backend));
    }

    /** The {@code upstream} value for {@code backend}. */
    static String upstream(InetSocketAddress backend) {
        return "http://" + backend.getHostString() + ":" + backend.getPort();
    }

    private static boolean accepts(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers200(HttpClient client, URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public OptionalLong cpuNanos() {
        return CpuAccounting.processTreeNanos(process.handle());
    }

    /** The node's own output (stdout and stderr), where an access log with {@code output: stdout} goes. */
    Path log() {
        return process.log();
    }

    /** The last lines of the node's log, for error messages. */
    String logTail() {
        return process.logTail();
    }

    /** Rate-limit counter writes so far (see {@link GridStats}); empty unless started {@link #withGridStats}. */
    @Override
    public OptionalLong gridRoundTrips() {
        return stats == null ? OptionalLong.empty() : stats.counterWrites();
    }

    @Override
    public void close() {
        if (stats != null) {
            stats.close();
        }
        process.close();
    }
}
