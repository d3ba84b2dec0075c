package io.gridgate.node;

import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.config.ConfigSeed;
import io.gridgate.node.config.GatewayConfig;
import io.gridgate.node.demo.DemoBackend;
import sun.misc.Signal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/**
 * The {@code gridgate} command. Exit status: 0 after a clean stop (SIGTERM included), 1 when the
 * node cannot start, 2 for a bad command line or config.
 */
public final class Main {

    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    static final int EXIT_OK = 0;
    static final int EXIT_START_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;

    private static final String USAGE = """
            usage: gridgate [--config FILE] [--demo] [--check]
              --config FILE   the YAML config (default: ./gridgate.yaml)
              --demo          also start a demo upstream on 127.0.0.1:9000; without --config,
                              serve it on http://127.0.0.1:8080/demo/
              --check         validate the config, print what is wrong, and exit
            environment: GRIDGATE_PORT, GRIDGATE_BIND_ADDRESS, GRIDGATE_ADMIN_PORT, GRIDGATE_CLUSTER_MEMBERS, ...
            """;

    private Main() {
    }

    public static void main(String[] args) {
        // Hazelcast completes its futures' callbacks on the common pool, and where that pool has a
        // parallelism below 2 (a JVM that sees one CPU) it starts a new thread per callback instead:
        // on one core that cost more than the grid call itself. Two workers cost nothing idle.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null && Runtime.getRuntime().availableProcessors() < 3) {
            System.setProperty(COMMON_POOL_PARALLELISM, "2");
        }
        configureLogging();
        int status = run(args, System.getenv(), System.err);
        if (status != EXIT_OK || !Running.started) {
            System.exit(status);
        }
    }

    static int run(String[] args, Map<String, String> env, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("gridgate: " + e.getMessage());
            err.print(USAGE);
            return EXIT_BAD_CONFIG;
        }
        if (options.help()) {
            err.print(USAGE);
            return EXIT_OK;
        }
        GatewayConfig config;
        ConfigSeed seed;
        try {
            if (options.config() == null && options.demo()) {
                String text = demoConfig();
                config = ConfigLoader.parse("demo.yaml", text, env);
                seed = ConfigSeed.of("demo.yaml", text);
            } else {
                Path file = Path.of(options.config() == null ? "gridgate.yaml" : options.config());
                config = ConfigLoader.load(file, env);
                seed = ConfigLoader.seed(file);
            }
        } catch (ConfigException e) {
            e.errors().forEach(error -> err.println(error));
            err.println("gridgate: " + e.errors().size() + " config error(s); not started");
            return EXIT_BAD_CONFIG;
        }
        if (options.check()) {
            err.println("gridgate: config OK (" + config.routes().size() + " routes)");
            return EXIT_OK;
        }
        return Running.serve(config, seed, options.demo(), err);
    }

    private static String demoConfig() {
        try (InputStream in = Main.class.getResourceAsStream("demo.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("demo.yaml missing from the jar", e);
        }
    }

    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("logging.properties")) {
            LogManager.getLogManager().readConfiguration(in);
        } catch (IOException e) {
            System.err.println("gridgate: default logging config unreadable: " + e.getMessage());
        }
    }

    /** The command line, parsed. */
    record Options(String config, boolean demo, boolean check, boolean help) {

        static Options parse(String[] args) {
            String config = null;
            boolean demo = false;
            boolean check = false;
            boolean help = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--config", "-c" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--config needs a file");
                        }
                        config = args[++i];
                    }
                    case "--demo" -> demo = true;
                    case "--check" -> check = true;
                    case "--help", "-h" -> help = true;
                    default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            return new Options(config, demo, check, help);
        }
    }

    /** A started node, held until SIGTERM or SIGINT drains it. */
    private static final class Running {

        static volatile boolean started;

        static int serve(GatewayConfig config, ConfigSeed seed, boolean demo, PrintStream err) {
            DemoBackend backend = null;
            GatewayNode node;
            try {
                backend = demo ? DemoBackend.start("127.0.0.1", 9000) : null;
                node = GatewayNode.start(config, seed);
            } catch (RuntimeException e) {
                if (backend != null) {
                    backend.close();
                }
                err.println("gridgate: cannot start: " + describe(e));
                return EXIT_START_FAILED;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            DemoBackend demoBackend = backend;
            Runnable stop = () -> {
                node.drainAndStop();
                if (demoBackend != null) {
                    demoBackend.close();
                }
                stopped.countDown();
            };
            // Handling the signals ourselves (not in a shutdown hook) lets the drain finish and the
            // process exit 0, which orchestrators read as a clean stop.
            Signal.handle(new Signal("TERM"), signal -> new Thread(stop, "gridgate-drain").start());
            Signal.handle(new Signal("INT"), signal -> new Thread(stop, "gridgate-drain").start());
            started = true;
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.exit(EXIT_OK);
            return EXIT_OK;
        }

        private static String describe(Throwable e) {
            StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                message.append(": ").append(cause.getMessage());
            }
            return message.toString();
        }
    }
}
