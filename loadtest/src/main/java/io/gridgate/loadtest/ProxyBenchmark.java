package io.gridgate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Measures direct, nginx and Gridgate on loopback with the same generator and backend (or, with {@code --scenario
 * ratelimit}, one Gridgate node's routes without, with leased and with exact rate limits; with {@code --scenario
 * cache}, direct, nginx and a node's plain and caching routes; with {@code --scenario observability}, a node without
 * and a node with tracing and access log; with {@code --scenario compose}, the slowest of three delayed upstreams
 * directly, through a node and composed with the other two; with {@code --scenario plugins}, a plain node and one with
 * JWT auth, a cluster rate limit and tracing; with {@code --scenario nodes}, one node and a cluster of three), prints
 * the comparison and writes it as JSON; exit status 0, or 3 if any run had errors (in the compose scenario, a wrong
 * body is one) or what a scenario verifies was not verified (the cache scenario's hits, the observability and plugins
 * scenarios' exports, the nodes scenario's cluster; its figures are then not to be trusted), 2 for bad flags, 1 if the
 * benchmark itself failed (also when, before the rounds, the cached route is not answering from its cache, the plugins
 * node not enforcing its plugins, or a compose target not with the expected body).
 */
public final class ProxyBenchmark {

    /** Held so the JUL configuration is not garbage-collected: Undertow's INFO start-up lines would clutter the table. */
    private static final List<Logger> QUIETED = List.of(Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"),
            Logger.getLogger("org.jboss"));

    /** The observed node's access log's file name, in its directory under the run's temp dir. */
    static final String ACCESS_LOG = "access.log";
    /** Logs larger than this are copied next to the JSON without their access-log lines. */
    private static final long MAX_LOG_COPY_BYTES = 16L << 20;

    private ProxyBenchmark() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchmarkOptions.USAGE);
            return;
        }
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
        try {
            System.exit(run(options));
        } catch (Exception e) {
            System.err.println("benchmark failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    static int run(BenchmarkOptions options) throws IOException {
        CpuPinning pinning = CpuPinning.verified(options);
        if (needsNode(options)) {
            GridgateNode.requireJar(options.gridgateJar()); // before nginx starts, not after a minute of setup
        }
        Path workDir = Files.createTempDirectory("gridgate-bench-");
        List<Target> started = new ArrayList<>();
        // Ctrl-C or SIGTERM must not leave nginx or a Gridgate node behind; close() is safe to run twice.
        Thread cleanup = new Thread(() -> closeAll(started), "benchmark-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean compose = options.scenario() == Scenario.COMPOSE;
        try (Backend backend = compose ? null : Backend.start(0);
                ComposeBackend upstreams = compose ? ComposeBackend.start(options.upstreamDelay()) : null;
                OtlpSink sink = needsSink(options) ? OtlpSink.start() : null) {
            Map<String, String> environment = environment(options, pinning);
            environment.put("coresBusyBeforeStart", quietCheck(pinning));
            List<Target> targets = switch (options.scenario()) {
                case PROXY -> startEach(options, backend, workDir, pinning, started);
                case RATELIMIT -> startRateLimited(options, backend, workDir, pinning, started);
                case CACHE -> startCacheScenario(options, backend, workDir, pinning, started);
                case OBSERVABILITY -> startObservability(options, backend, sink, workDir, pinning, started);
                case COMPOSE -> startCompose(options, upstreams, workDir, pinning, started);
                case PLUGINS -> startPlugins(options, backend, sink, workDir, pinning, started);
                case NODES -> startNodes(options, backend, workDir, pinning, started);
            };
            BenchmarkRunner runner = new BenchmarkRunner(options, targets, pinning,
                    compose ? upstreams::requests : backend::requests, System.err);
            Report report = switch (options.scenario()) {
                case PROXY -> {
                    BenchmarkResults results = runner.run(environment);
                    yield new Report(BenchmarkReport.table(results), BenchmarkReport.json(results),
                            "proxy-benchmark-", results.flagged().isEmpty());
                }
                case RATELIMIT -> {
                    BenchmarkResults results = runner.run(environment);
                    yield new Report(RateLimitReport.table(results), RateLimitReport.json(results),
                            "ratelimit-benchmark-", results.flagged().isEmpty());
                }
                case CACHE -> runCacheScenario(runner, environment, targets, backend);
                case OBSERVABILITY -> {
                    BenchmarkResults results = runner.run(environment);
                    List<String> problems = ObservabilityReport.problems(results);
                    if (sink.rejected() > 0) {
                        System.err.println("warning: the OTLP sink rejected " + sink.rejected() + " requests");
                    }
                    yield new Report(ObservabilityReport.table(results), ObservabilityReport.json(results),
                            "observability-benchmark-", results.flagged().isEmpty() && problems.isEmpty());
                }
                case COMPOSE -> {
                    BenchmarkResults results = runner.run(environment);
                    yield new Report(ComposeReport.table(results), ComposeReport.json(results), "compose-benchmark-",
                            results.flagged().isEmpty());
                }
                case PLUGINS -> {
                    environment.put(PluginsReport.CHECKS, checkPlugins(targets));
                    BenchmarkResults results = runner.run(environment);
                    List<String> problems = PluginsReport.problems(results);
                    if (sink.rejected() > 0) {
                        System.err.println("warning: the OTLP sink rejected " + sink.rejected() + " requests");
                    }
                    yield new Report(PluginsReport.table(results), PluginsReport.json(results), "plugins-benchmark-",
                            results.flagged().isEmpty() && problems.isEmpty());
                }
                case NODES -> {
                    BenchmarkResults results = runner.run(environment);
                    NodeCluster cluster = targets.stream().filter(NodeCluster.class::isInstance)
                            .map(NodeCluster.class::cast).findFirst().orElseThrow();
                    NodesReport nodes = new NodesReport(results, cluster.members());
                    yield new Report(nodes.table(), nodes.json(), "nodes-benchmark-",
                            results.flagged().isEmpty() && nodes.problems().isEmpty());
                }
            };
            System.out.print(report.table());
            Path json = BenchmarkReport.writeFile(report.json(), report.filePrefix(), options.resultsDir());
            System.out.println("results: " + json);
            closeAll(started); // before copying, so the logs are complete
            System.out.println("proxy logs: " + keepLogs(workDir, json));
            return report.trusted() ? 0 : 3;
        } finally {
            closeAll(started);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running or has run, which is what we wanted anyway.
            }
            deleteRecursively(workDir);
        }
    }

    /**
     * What a run prints and writes.
     *
     * @param trusted false if any run had errors or, in the cache scenario, the hits were not verified
     */
    private record Report(String table, String json, String filePrefix, boolean trusted) {
    }

    private static boolean needsNode(BenchmarkOptions options) {
        return options.scenario() == Scenario.RATELIMIT || options.scenario() == Scenario.OBSERVABILITY
                || options.scenario() == Scenario.COMPOSE && options.targets().stream().anyMatch(ComposeScenario::onNode)
                || options.scenario() == Scenario.PLUGINS || options.scenario() == Scenario.NODES
                || options.targets().contains("gridgate")
                || options.targets().contains(CacheHits.TARGET);
    }

    private static boolean needsSink(BenchmarkOptions options) {
        return options.scenario() == Scenario.OBSERVABILITY || options.scenario() == Scenario.PLUGINS;
    }

    /** The proxy scenario: each target its own process (none for direct), added to {@code started} as it starts. */
    private static List<Target> startEach(BenchmarkOptions options, Backend backend, Path workDir, CpuPinning pinning,
            List<Target> started) {
        for (String name : options.targets()) {
            System.err.println("starting " + name);
            started.add(start(name, options, backend, workDir, pinning));
        }
        return List.copyOf(started);
    }

    /** The rate-limit scenario: one node, and a target for each of its routes that is measured. */
    private static List<Target> startRateLimited(BenchmarkOptions options, Backend backend, Path workDir,
            CpuPinning pinning, List<Target> started) {
        System.err.println("starting gridgate with routes " + String.join(", ", RateLimitScenario.ROUTES));
        GridgateNode node = GridgateNode.withGridStats(options.gridgateJar(),
                RateLimitScenario.routes(backend.address(), options.leaseSize()), workDir, pinning);
        started.add(node);
        return RateLimitScenario.targets(node, options.targets());
    }

    /**
     * The observability scenario: a plain node and an observed one (tracing to {@code sink}, access log to a file in
     * {@code workDir} unless off), both added to {@code started}; a node build that refuses the {@code accessLog}
     * section fails the run saying so.
     */
    private static List<Target> startObservability(BenchmarkOptions options, Backend backend, OtlpSink sink,
            Path workDir, CpuPinning pinning, List<Target> started) {
        ObservabilityScenario.AccessLog accessLog = options.accessLog();
        String routes = ObservabilityScenario.routes(backend.address());
        Path logFile = workDir.resolve(ObservabilityScenario.OBSERVED).resolve(ACCESS_LOG);
        List<Target> targets = new ArrayList<>();
        for (String name : ObservabilityScenario.TARGETS) {
            boolean observed = name.equals(ObservabilityScenario.OBSERVED);
            String sections = observed
                    ? ObservabilityScenario.observedSections(sink.endpoint(), accessLog, logFile,
                            options.samplerRatio())
                    : ObservabilityScenario.plainSections();
            System.err.println("starting gridgate node " + name + ": "
                    + ObservabilityScenario.describe(name, accessLog, options.samplerRatio()));
            GridgateNode node;
            try {
                node = GridgateNode.withSections(options.gridgateJar(), name, routes, sections, workDir, pinning);
            } catch (IllegalStateException e) {
                if (ObservabilityScenario.refusedAccessLog(e.getMessage())) {
                    throw new IllegalStateException("this node build predates the accessLog section (b3b6f93);"
                            + " rebuild it from a newer tree. " + e.getMessage(), e);
                }
                throw e;
            }
            started.add(node);
            Path log = !observed ? null : switch (accessLog) {
                case FILE -> logFile;
                case STDOUT -> node.log();
                case OFF -> null;
            };
            targets.add(new ObservedNode(name, node, sink, log, RequestTemplate.get()));
        }
        return List.copyOf(targets);
    }

    /**
     * The plugins scenario: a plain node and a plugins node (JWT auth with a secret made for this run, the cluster
     * rate limit, tracing to {@code sink}), both added to {@code started}; the plugins node's load carries a token.
     */
    private static List<Target> startPlugins(BenchmarkOptions options, Backend backend, OtlpSink sink, Path workDir,
            CpuPinning pinning, List<Target> started) {
        String secret = PluginsScenario.newSecret();
        RequestTemplate authorized = PluginsScenario.authorized(PluginsScenario.token(secret, Instant.now()));
        List<Target> targets = new ArrayList<>();
        for (String name : PluginsScenario.TARGETS) {
            boolean plugins = name.equals(PluginsScenario.PLUGINS);
            System.err.println("starting gridgate node " + name + ": "
                    + PluginsScenario.describe(name, options.clusterLimit()));
            GridgateNode node = GridgateNode.builder(options.gridgateJar(), workDir, pinning)
                    .name(name)
                    .routes(plugins ? PluginsScenario.pluginsRoutes(backend.address(), options.clusterLimit())
                            : PluginsScenario.plainRoutes(backend.address()))
                    .sections(plugins ? PluginsScenario.pluginsSections(secret, sink.endpoint())
                            : PluginsScenario.plainSections())
                    .gridCount(GridgateNode.GridCount.NODE_METRICS)
                    .start();
            started.add(node);
            targets.add(new ObservedNode(name, node, sink, null, plugins ? authorized : RequestTemplate.get()));
        }
        return List.copyOf(targets);
    }

    /**
     * Asks each node as {@link PluginsScenario.Check#ALL} says, with a plain HTTP client, and fails if one answers
     * otherwise: without its plugins in force, the plugins node's figure would be about something else.
     *
     * @return what each check got, for the report
     */
    private static String checkPlugins(List<Target> targets) {
        Target plain = targets.get(PluginsScenario.TARGETS.indexOf(PluginsScenario.PLAIN));
        Target plugins = targets.get(PluginsScenario.TARGETS.indexOf(PluginsScenario.PLUGINS));
        List<Target> asked = List.of(plain, plugins, plugins);
        List<RequestTemplate> requests = List.of(plain.request(), RequestTemplate.get(), plugins.request());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < PluginsScenario.Check.ALL.size(); i++) {
            PluginsScenario.Check check = PluginsScenario.Check.ALL.get(i);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + asked.get(i).address().getPort() + "/")).timeout(Duration.ofSeconds(5)).GET();
            requests.get(i).headers().forEach(h -> request.header(h.name(), h.value()));
            HttpResponse<Void> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new UncheckedIOException(check.what() + ": no answer", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted checking the plugins", e);
            }
            Optional<String> policy = response.headers().firstValue("RateLimit-Policy");
            Optional<String> problem = check.problem(response.statusCode(), policy);
            if (problem.isPresent()) {
                throw new IllegalStateException("the plugins are not in force as the scenario needs them ("
                        + problem.get() + "); measuring would not measure them");
            }
            seen.add(check.what() + ": " + response.statusCode() + policy.map(v -> " with RateLimit-Policy " + v)
                    .orElse(""));
        }
        String summary = String.join("; ", seen);
        System.err.println("checked before the rounds: " + summary);
        return summary;
    }

    /**
     * The nodes scenario: a lone node, then three members of one cluster started side by side and waited for until
     * each sees the others; every node is added to {@code started} as soon as it runs.
     */
    private static List<Target> startNodes(BenchmarkOptions options, Backend backend, Path workDir,
            CpuPinning pinning, List<Target> started) {
        String routes = NodesScenario.routes(backend.address(), options.clusterLimit());
        System.err.println("starting gridgate node " + NodesScenario.ONE + ": "
                + NodesScenario.describe(NodesScenario.ONE, options.clusterLimit()));
        GridgateNode one = GridgateNode.builder(options.gridgateJar(), workDir, pinning)
                .name(NodesScenario.ONE)
                .routes(routes)
                .gridCount(GridgateNode.GridCount.NODE_METRICS)
                .cluster(NodesScenario.alone(FreePorts.next()))
                .start();
        started.add(one);
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < NodesScenario.CLUSTER_SIZE; i++) {
            ports.add(FreePorts.next());
        }
        List<GridgateNode.Cluster> members = NodesScenario.members(ports);
        List<GridgateNode.Builder> builders = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            builders.add(GridgateNode.builder(options.gridgateJar(), workDir, pinning)
                    .name(NodesScenario.memberName(i))
                    .routes(routes)
                    .gridCount(GridgateNode.GridCount.NODE_METRICS)
                    .cluster(members.get(i)));
        }
        System.err.println("starting gridgate nodes " + NodesScenario.THREE + ": "
                + NodesScenario.describe(NodesScenario.THREE, options.clusterLimit()));
        NodeCluster three = NodeCluster.start(NodesScenario.THREE, builders, started::add);
        System.err.println("cluster formed: members seen " + NodeCluster.describe(three.members()));
        return List.of(one, three);
    }

    /**
     * The cache scenario: direct and nginx as in the proxy scenario, and one node whose plain and caching routes are a
     * target each.
     */
    private static List<Target> startCacheScenario(BenchmarkOptions options, Backend backend, Path workDir,
            CpuPinning pinning, List<Target> started) {
        List<Target> targets = new ArrayList<>();
        GridgateNode node = null;
        for (String name : options.targets()) {
            if (!CacheScenario.onNode(name)) {
                System.err.println("starting " + name);
                Target target = start(name, options, backend, workDir, pinning);
                started.add(target);
                targets.add(target);
                continue;
            }
            if (node == null) {
                System.err.println("starting gridgate with routes /plain and /cached (cache ttl " + CacheScenario.TTL
                        + ")");
                node = GridgateNode.withRoutes(options.gridgateJar(), CacheScenario.routes(backend.address()),
                        workDir, pinning);
                started.add(node);
            }
            targets.add(CacheScenario.route(name, node));
        }
        return List.copyOf(targets);
    }

    /**
     * The compose scenario: one node with the plain and the composite route (unless only direct-slowest is measured),
     * added to {@code started}, and a target for the upstream and each route; each target is asked once before the
     * rounds, and a wrong answer fails the run saying what came back.
     */
    private static List<Target> startCompose(BenchmarkOptions options, ComposeBackend upstreams, Path workDir,
            CpuPinning pinning, List<Target> started) {
        GridgateNode node = null;
        if (options.targets().stream().anyMatch(ComposeScenario::onNode)) {
            System.err.println("starting gridgate with routes /slowest (plain) and /composed (composite of "
                    + String.join(", ", ComposeBackend.PATHS) + ")");
            node = GridgateNode.withRoutes(options.gridgateJar(), ComposeScenario.routes(upstreams.address()),
                    workDir, pinning);
            started.add(node);
        }
        List<Target> targets = new ArrayList<>();
        for (String name : options.targets()) {
            Target target = ComposeScenario.target(name, upstreams, node, options.upstreamDelay());
            Optional<String> problem = AnswerCheck.problem(target);
            if (problem.isPresent()) {
                String log = node != null && ComposeScenario.onNode(name) ? "\nnode log (tail):\n" + node.logTail()
                        : "";
                throw new IllegalStateException("a compose target does not answer as it must, so its latency would"
                        + " not be that of the answer the scenario is about; is the node jar built with composite"
                        + " routes (compose: on a route)? " + problem.get() + log);
            }
            targets.add(target);
        }
        return List.copyOf(targets);
    }

    /**
     * Puts the cached route's response in the cache and checks that the next requests are hits before measuring
     * anything (failing if they are not: every figure after would be about something else), runs the rounds, and
     * checks again after them.
     */
    private static Report runCacheScenario(BenchmarkRunner runner, Map<String, String> environment,
            List<Target> targets, Backend backend) {
        Target cached = targets.stream().filter(t -> t.name().equals(CacheHits.TARGET)).findFirst().orElseThrow();
        CacheProbe probe = CacheProbe.of(cached, backend::requests);
        CacheSample warmUp = probe.warm(CacheProbe.WARM_TIMEOUT);
        System.err.println("cache warm-up, until a request is a hit: " + warmUp.describe());
        CacheSample before = probe.sample(CacheProbe.SAMPLE_REQUESTS);
        System.err.println("cache check before the rounds: " + before.describe() + ": " + before.verdict());
        if (before.verdict() == CacheSample.Verdict.NOT_HITS) {
            String log = cached instanceof NodeRoute route ? "\nnode log (tail):\n" + route.node().logTail() : "";
            throw new IllegalStateException("the cached route does not answer from its cache (" + before.describe()
                    + "); measuring it would not measure cache hits. Is the node jar built with route caching"
                    + " (cache: ttl on a route)?" + log);
        }
        BenchmarkResults results = runner.run(environment);
        CacheSample after = probe.sample(CacheProbe.SAMPLE_REQUESTS);
        System.err.println("cache check after the rounds: " + after.describe() + ": " + after.verdict());
        CacheHits hits = new CacheHits(warmUp, before, after);
        return new Report(CacheReport.table(results, hits), CacheReport.json(results, hits), "cache-benchmark-",
                results.flagged().isEmpty() && hits.verified(results.saturation()));
    }

    private static Target start(String name, BenchmarkOptions options, Backend backend, Path workDir,
            CpuPinning pinning) {
        return switch (name) {
            case "direct" -> Target.direct(backend.address());
            case "nginx" -> NginxProxy.start(options.nginx(), backend.address(), workDir, pinning);
            case "gridgate" -> GridgateNode.start(options.gridgateJar(), backend.address(), workDir, pinning);
            default -> throw new IllegalArgumentException("target: " + name);
        };
    }

    private static Map<String, String> environment(BenchmarkOptions options, CpuPinning pinning) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("pinning", pinning.describe());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        env.put("onlineCpus", readOrUnknown(Path.of("/sys/devices/system/cpu/online")));
        env.put("benchmarkCpus", CpuPinning.allowedCpus());
        if (options.scenario() == Scenario.COMPOSE) {
            env.put("composeUpstreams", "Undertow in the benchmark JVM, one I/O thread; " + String.join(", ",
                    ComposeBackend.PATHS.stream().map(path -> path + " after " + ComposeScenario.millis(
                            ComposeBackend.delayOf(path, options.upstreamDelay()))).toList())
                    + ", timed by one scheduled executor; JSON bodies of "
                    + ComposeScenario.slowestBody(options.upstreamDelay()).length() + " bytes each; every answer's"
                    + " body checked");
        } else {
            env.put("backendBodyBytes", Integer.toString(Backend.BODY_BYTES));
        }
        if (options.scenario() != Scenario.RATELIMIT && options.scenario() != Scenario.COMPOSE
                && options.targets().contains("nginx")) {
            env.put("nginx", NginxProxy.version(options.nginx()));
        }
        if (needsNode(options)) {
            env.put("gridgateJvmFlags", String.join(" ", GridgateNode.HEAP_FLAGS));
            // Others rebuild the node between runs: the jar's time tells which build a result belongs to.
            env.put("gridgateJarModified", modified(options.gridgateJar()));
        }
        if (options.scenario() == Scenario.CACHE) {
            env.put("backendRequests", "counted by the backend itself, read between runs and around each cache"
                    + " sample");
        }
        if (options.scenario() == Scenario.OBSERVABILITY) {
            env.put("otlpSink", "JDK HttpServer on loopback in the benchmark JVM, POST /v1/traces answered 200 with an"
                    + " empty body; counts exports, bytes and spans; read once quiet for " + ObservedNode.QUIET.toMillis()
                    + " ms before and after each run");
            env.put("accessLog", options.accessLog().flag());
        }
        if (options.scenario() == Scenario.PLUGINS) {
            env.put("otlpSink", "JDK HttpServer on loopback in the benchmark JVM, as in the observability scenario;"
                    + " read once quiet for " + ObservedNode.QUIET.toMillis() + " ms before and after each run");
            env.put("jwt", "HS256 with a secret of 64 random characters made for this run, issuer "
                    + PluginsScenario.ISSUER + "; one token for the whole run, signed by the benchmark (exp in "
                    + PluginsScenario.TOKEN_LIFETIME.toHours() + " h)");
        }
        if (options.scenario() == Scenario.PLUGINS || options.scenario() == Scenario.NODES) {
            env.put("rateLimit", options.clusterLimit().describe());
            env.put("gridRoundTrips", "each node's rate-limit grid operations from its /metrics, read between runs");
        }
        if (options.scenario() == Scenario.NODES) {
            env.put("cluster", NodesScenario.CLUSTER_SIZE + " node processes in one cluster (members listed on"
                    + " loopback, expectedMembers " + NodesScenario.CLUSTER_SIZE + "); the lone node a cluster of its"
                    + " own; every node on the same CPU budget");
        }
        if (options.scenario() == Scenario.RATELIMIT) {
            env.put("gridStats", "the node's Hazelcast map statistics over JMX on loopback (-Dhazelcast.jmx=true),"
                    + " read between runs");
        }
        return env;
    }

    /**
     * How busy the benchmark's cores are for a second before anything starts. The benchmark cannot make a shared
     * machine quiet, but it can say up front that it is not, rather than leave the reader to guess from odd figures.
     */
    private static String quietCheck(CpuPinning pinning) {
        if (!pinning.enabled()) {
            return "not checked (unpinned)";
        }
        List<Integer> cpus = pinning.loadCpu() == pinning.proxyCpu()
                ? List.of(pinning.loadCpu())
                : List.of(pinning.loadCpu(), pinning.proxyCpu());
        List<CpuAccounting.CoreTicks> before = cpus.stream().map(CpuAccounting::coreTicks).toList();
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> parts = new ArrayList<>();
        boolean busy = false;
        for (int i = 0; i < cpus.size(); i++) {
            CpuAccounting.CoreTicks after = CpuAccounting.coreTicks(cpus.get(i));
            if (before.get(i) == null || after == null) {
                return "unknown";
            }
            double share = after.busySince(before.get(i));
            busy |= share > CoreUsage.NOISY_FOREIGN_SHARE;
            parts.add(String.format(java.util.Locale.ROOT, "CPU%d %.0f%%", cpus.get(i), share * 100));
        }
        String summary = String.join(", ", parts);
        if (busy) {
            System.err.println("warning: the machine is busy before the benchmark starts (" + summary
                    + "); other processes will skew the figures, see the 'noisy' column");
        }
        return summary;
    }

    private static String modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String readOrUnknown(Path path) {
        try {
            return Files.readString(path).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeAll(List<Target> targets) {
        for (Target target : List.copyOf(targets)) {
            try {
                target.close();
            } catch (RuntimeException e) {
                System.err.println("stopping " + target.name() + " failed: " + e);
            }
        }
    }

    /**
     * Copies the proxies' logs (nginx error log, node log, node GC log) next to the JSON, for post-mortems; not the
     * observability scenario's access log, which is a line per request (100 MiB and more), nor such lines on stdout.
     */
    private static Path keepLogs(Path workDir, Path json) throws IOException {
        Path logs = json.resolveSibling(json.getFileName().toString().replace(".json", "-logs"));
        Files.createDirectories(logs);
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log"))
                    .filter(p -> !p.getFileName().toString().equals(ACCESS_LOG)).toList()) {
                Path copy = logs.resolve(workDir.relativize(log).toString().replace('/', '-'));
                if (Files.size(log) > MAX_LOG_COPY_BYTES) {
                    copyWithoutAccessLines(log, copy);
                } else {
                    Files.copy(log, copy);
                }
            }
        }
        return logs;
    }

    /**
     * A node log with its access log on stdout has a JSON line per request (hundreds of MiB): its copy keeps the
     * node's own lines only, and says so in its first line.
     */
    private static void copyWithoutAccessLines(Path log, Path copy) throws IOException {
        try (Stream<String> lines = Files.lines(log);
                java.io.BufferedWriter out = Files.newBufferedWriter(copy)) {
            out.write("(copied without its access-log lines, the lines starting with '{')\n");
            for (String line : (Iterable<String>) lines.filter(l -> !l.startsWith("{"))::iterator) {
                out.write(line);
                out.write('\n');
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not remove " + dir + ": " + e.getMessage());
        }
    }
}
