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
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Gridgate node started from its jar, proxying to the backend: one route for every path, or the given routes; alone,
 * or a member of a cluster of such nodes.
 */
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
    private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(2);

    /** How a node's rate-limit grid round trips are counted, if at all; see {@link #gridRoundTrips()}. */
    enum GridCount {
        /** Not counted. */
        NONE,
        /** Writes to the counter map, from Hazelcast's map statistics over JMX: {@link GridStats}. */
        MAP_STATS,
        /**
         * The rate-limit grid operations the node itself made, local or remote, from its {@code /metrics}: the same
         * count for a lone node and for each member of a cluster.
         */
        NODE_METRICS
    }

    private final String name;
    private final InetSocketAddress address;
    private final int adminPort;
    private final ChildProcess process;
    private final GridCount gridCount;
    /** Null unless counted by {@link GridCount#MAP_STATS}. */
    private final GridStats stats;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private GridgateNode(String name, InetSocketAddress address, int adminPort, ChildProcess process,
            GridCount gridCount, GridStats stats) {
        this.name = name;
        this.address = address;
        this.adminPort = adminPort;
        this.process = process;
        this.gridCount = gridCount;
        this.stats = stats;
    }

    /** A node to start from {@code jar}, its directory under {@code workDir}, on the proxy CPU of {@code pinning}. */
    static Builder builder(Path jar, Path workDir, CpuPinning pinning) {
        return new Builder(jar, workDir, pinning);
    }

    /** A node with one route for every path to {@code backend}, as the proxy benchmark measures it. */
    static GridgateNode start(Path jar, InetSocketAddress backend, Path workDir, CpuPinning pinning) {
        return builder(jar, workDir, pinning).routes(catchAllRoute(backend)).start();
    }

    /**
     * A node with {@code routes} (YAML list items, as {@link #catchAllRoute} writes them) whose rate-limit grid round
     * trips are counted, see {@link #gridRoundTrips()}.
     */
    static GridgateNode withGridStats(Path jar, String routes, Path workDir, CpuPinning pinning) {
        return builder(jar, workDir, pinning).routes(routes).gridCount(GridCount.MAP_STATS).start();
    }

    /** A node with {@code routes} (YAML list items, as {@link #route} writes them). */
    static GridgateNode withRoutes(Path jar, String routes, Path workDir, CpuPinning pinning) {
        return builder(jar, workDir, pinning).routes(routes).start();
    }

    /**
     * A node {@code name} (its directory under {@code workDir} and its name in messages, so that two nodes can run side
     * by side) with {@code routes} and further top-level config {@code sections} (YAML at column 0, such as
     * {@code tracing:}), appended after the routes; they replace {@link #NO_ACCESS_LOG}, so they say what the access
     * log does.
     */
    static GridgateNode withSections(Path jar, String name, String routes, String sections, Path workDir,
            CpuPinning pinning) {
        return builder(jar, workDir, pinning).name(name).routes(routes).sections(sections).start();
    }

    /**
     * The node's {@code cluster} section: its member port and, for a cluster of several processes, the cluster's name,
     * every member's port on loopback (its own included) and how many members to expect.
     *
     * @param name the cluster's name, so that the benchmark's clusters never join each other; null for the default
     * @param port this node's member port
     * @param members every member's port, this node's included; empty for a node alone
     */
    record Cluster(String name, int port, List<Integer> members) {

        Cluster {
            members = List.copyOf(members);
        }

        /** A node alone, on {@code port}, in the default cluster name. */
        static Cluster alone(int port) {
            return new Cluster(null, port, List.of());
        }

        /** The section as one YAML line. */
        String yaml() {
            StringBuilder line = new StringBuilder("cluster: {");
            if (name != null) {
                line.append("name: ").append(name).append(", ");
            }
            line.append("bindAddress: 127.0.0.1, port: ").append(port);
            if (!members.isEmpty()) {
                line.append(", members: [")
                        .append(String.join(", ", members.stream().map(p -> "\"127.0.0.1:" + p + "\"").toList()))
                        .append("], expectedMembers: ").append(members.size());
            }
            return line.append("}\n").toString();
        }
    }

    /** What a node runs with; {@link #start()} starts it and waits until it serves. */
    static final class Builder {
        private final Path jar;
        private final Path workDir;
        private final CpuPinning pinning;
        private String name = "gridgate";
        private String routes;
        private String sections = NO_ACCESS_LOG;
        private GridCount gridCount = GridCount.NONE;
        private Cluster cluster;

        private Builder(Path jar, Path workDir, CpuPinning pinning) {
            this.jar = jar;
            this.workDir = workDir;
            this.pinning = pinning;
        }

        /** Its directory under the work dir and its name in messages; {@code gridgate} unless set. */
        Builder name(String name) {
            this.name = name;
            return this;
        }

        /** YAML list items under {@code routes:}, as {@link GridgateNode#route} writes them; required. */
        Builder routes(String routes) {
            this.routes = routes;
            return this;
        }

        /**
         * Top-level config sections after the routes (YAML at column 0); {@link #NO_ACCESS_LOG} unless set, so they
         * say what the access log does.
         */
        Builder sections(String sections) {
            this.sections = sections;
            return this;
        }

        /** How its grid round trips are counted; not at all unless set. */
        Builder gridCount(GridCount gridCount) {
            this.gridCount = gridCount;
            return this;
        }

        /** Its {@code cluster} section; alone on a free port unless set. */
        Builder cluster(Cluster cluster) {
            this.cluster = cluster;
            return this;
        }

        /** Starts the node and waits until it serves; see {@link #spawn()}. */
        GridgateNode start() {
            GridgateNode node = spawn();
            node.awaitReady();
            return node;
        }

        /**
         * Writes the node config into the work dir and starts a copy of the jar, without waiting for it: the members
         * of a cluster start side by side, then each is waited for with {@link GridgateNode#awaitReady()}.
         *
         * <p>A copy, because others rebuild {@code node/target} while benchmarks run: a node reading its classes from
         * a jar that is being rewritten may load classes of two builds (a cache-scenario run met a node that missed
         * every request while its jar was being rebuilt). The copy is one consistent build for the whole run.
         */
        GridgateNode spawn() {
            if (routes == null) {
                throw new IllegalStateException("routes: null (expected: the node's routes)");
            }
            return launch(this);
        }
    }

    private static GridgateNode launch(Builder b) {
        Path jar = b.jar;
        String name = b.name;
        requireJar(jar);
        int port = FreePorts.next();
        int adminPort = FreePorts.next();
        Cluster cluster = b.cluster == null ? Cluster.alone(FreePorts.next()) : b.cluster;
        Path dir = b.workDir.resolve(name);
        Path config = dir.resolve("gridgate.yaml");
        Path snapshot = dir.resolve("gridgate.jar");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, config(b.routes, port, adminPort, cluster) + b.sections);
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
        if (b.gridCount == GridCount.MAP_STATS) {
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
        ChildProcess process = ChildProcess.start(name, b.pinning.onProxyCpu(command), dir.resolve("node.log"));
        return new GridgateNode(name, new InetSocketAddress("127.0.0.1", port), adminPort, process, b.gridCount,
                stats);
    }

    /**
     * Waits for {@code /health/ready} and for the traffic port to accept connections; stops the node and fails, with
     * its log's tail, if it does not get there.
     */
    void awaitReady() {
        try {
            URI ready = admin("/health/ready");
            // Both: the node has answered ready before its traffic listener was up (by about 1.5 s on one CPU), and
            // the first runs would then measure refused connections.
            process.awaitReady(() -> answers200(client, ready) && accepts(address), START_TIMEOUT);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Fails with the flag and a way out if the node jar is not there. */
    static void requireJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--gridgate-jar: " + jar.toAbsolutePath() + " does not exist (expected:"
                    + " the node's shaded jar; build it with ./mvnw -q -B -DskipTests package, or pass --targets"
                    + " direct,nginx)");
        }
    }

    /** The node config: one I/O thread, as nginx gets one worker; everything on loopback; the node alone. */
    static String config(String routes, int port, int adminPort, int clusterPort) {
        return config(routes, port, adminPort, Cluster.alone(clusterPort));
    }

    /** The node config with its {@code cluster} section. */
    static String config(String routes, int port, int adminPort, Cluster cluster) {
        return """
                server: {bindAddress: 127.0.0.1, port: %d, ioThreads: 1}
                admin: {bindAddress: 127.0.0.1, port: %d}
                """.formatted(port, adminPort) + cluster.yaml() + "routes:\n" + routes;
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

    /**
     * Rate-limit grid round trips so far, counted as its {@link GridCount} says; empty when not counted or when the
     * count cannot be read, so that a missing figure never reads as zero.
     */
    @Override
    public OptionalLong gridRoundTrips() {
        return switch (gridCount) {
            case NONE -> OptionalLong.empty();
            case MAP_STATS -> stats.counterWrites();
            case NODE_METRICS -> metrics()
                    .map(text -> OptionalLong.of(Math.round(PrometheusText.sum(text,
                            PrometheusText.GRID_OPERATIONS_COUNT, PrometheusText.RATE_LIMIT_OPERATION))))
                    .orElse(OptionalLong.empty());
        };
    }

    /** The members of its cluster this node sees, itself included; empty while it does not answer. */
    OptionalLong clusterMembers() {
        return metrics().map(text -> PrometheusText.sum(text, PrometheusText.CLUSTER_MEMBERS, ""))
                .filter(members -> members > 0)
                .map(members -> OptionalLong.of(Math.round(members)))
                .orElse(OptionalLong.empty());
    }

    /** Its {@code GET /metrics} (Prometheus text), or empty if it does not answer 200 right now. */
    Optional<String> metrics() {
        HttpRequest request = HttpRequest.newBuilder(admin("/metrics")).timeout(METRICS_TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    @Override
    public void close() {
        if (stats != null) {
            stats.close();
        }
        process.close();
    }
}
