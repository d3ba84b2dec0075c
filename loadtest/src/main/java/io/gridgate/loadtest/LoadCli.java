package io.gridgate.loadtest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command-line load generator ({@code loadtest/load.sh}): an open loop at a fixed rate or a closed loop, against
 * one or more URLs round-robin, with a live progress line on stderr and a report on stdout and in files. The flags
 * are in {@link LoadCliOptions#USAGE}.
 */
public final class LoadCli {

    /** Any request failed (warm-up included). */
    static final int EXIT_ERRORS = 3;
    /** Bad flags, or a URL that does not resolve or a body file that cannot be read. */
    static final int EXIT_USAGE = 2;
    /** The run itself failed, or the report could not be written. */
    static final int EXIT_FAILED = 1;

    /** load.sh sets it from {@code [ -t 2 ]}: the JVM cannot tell whether stderr alone is a terminal. */
    static final String STDERR_TTY_PROPERTY = "gridgate.load.stderrTty";

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    private LoadCli() {
    }

    public static void main(String[] args) {
        String tty = System.getProperty(STDERR_TTY_PROPERTY);
        boolean terminal = tty != null ? Boolean.parseBoolean(tty) : System.console() != null;
        System.exit(run(args, System.out, System.err, terminal));
    }

    /** Runs the command; returns its exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean stderrIsTerminal) {
        if (List.of(args).stream().anyMatch(Set.of("--help", "-h")::contains)) {
            out.print(LoadCliOptions.USAGE);
            return 0;
        }
        ProgressLine progress = new ProgressLine(err, stderrIsTerminal);
        LoadCliOptions options;
        LoadSpec spec;
        try {
            options = LoadCliOptions.parse(args);
            spec = spec(options, progress);
        } catch (IllegalArgumentException e) {
            err.println("load: " + e.getMessage());
            err.println("load: --help lists the flags");
            return EXIT_USAGE;
        }
        err.println("load: " + options.describe());
        Instant startedAt = Instant.now();
        LoadResult result;
        try {
            result = LoadGenerator.run(spec);
        } catch (IllegalStateException e) {
            progress.finish();
            err.println("load: the run failed: " + e.getMessage());
            return EXIT_FAILED;
        }
        progress.finish();
        LoadReport report = new LoadReport(options, result, startedAt);
        try {
            out.print(report.text(report.write(options.reportDir())));
        } catch (IOException e) {
            out.print(report.text(List.of()));
            err.println("load: could not write the report files to " + options.reportDir() + ": " + e);
            return EXIT_FAILED;
        }
        out.flush();
        return report.exitStatus();
    }

    /** The generator's spec: resolves the URLs and reads the body file, failing like a bad flag if either fails. */
    static LoadSpec spec(LoadCliOptions options, ProgressLine progress) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (var url : options.urls()) {
            try {
                endpoints.add(Endpoint.resolve(url));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--url: " + e.getMessage(), e);
            }
        }
        return LoadSpec.builder(endpoints)
                .request(RequestTemplate.of(options.method(), options.headers(), body(options)))
                .connections(options.connections())
                .threads(options.threads())
                .pacing(options.pacing())
                .warmup(options.warmup())
                .duration(options.duration())
                .requestTimeout(options.timeout())
                // The duration bounds the run; the engine's cap is a safety net for the benchmarks' computed rates.
                .maxRequests(Long.MAX_VALUE)
                .progress(PROGRESS_INTERVAL, progress)
                .build();
    }

    private static byte[] body(LoadCliOptions options) {
        if (options.body() != null) {
            return options.body().getBytes(StandardCharsets.UTF_8);
        }
        if (options.bodyFile() == null) {
            return new byte[0];
        }
        Path file = options.bodyFile();
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--body-file: " + file + " (expected: a readable file; " + e + ")", e);
        }
    }
}
