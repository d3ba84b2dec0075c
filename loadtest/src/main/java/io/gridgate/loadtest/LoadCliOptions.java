package io.gridgate.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load generator's flags, parsed and validated once; nothing here touches the network or the disk.
 *
 * @param urls where the requests go, round-robin, each once
 * @param pacing a fixed rate (open loop) or closed loop
 * @param connections keep-alive connections, spread evenly over the URLs
 * @param threads generator selector threads
 * @param duration the measured window
 * @param warmup unmeasured load before the window
 * @param method the request method
 * @param headers extra request headers
 * @param body the request body as given on the command line; null when none or when read from a file
 * @param bodyFile where to read the request body from; null when none or when given inline
 * @param timeout how long a request or a connect may take before it counts as timed out
 * @param reportDir where the JSON, the percentile distribution and the HTML plot go
 */
record LoadCliOptions(
        List<URI> urls,
        Pacing pacing,
        int connections,
        int threads,
        Duration duration,
        Duration warmup,
        String method,
        List<RequestTemplate.Header> headers,
        String body,
        Path bodyFile,
        Duration timeout,
        Path reportDir) {

    static final int DEFAULT_CONNECTIONS = 32;

    static final String USAGE = """
            usage: loadtest/load.sh --url URL (--rate N | --closed-loop) [flags]
              --url URL             target, e.g. http://node1:8080/api/orders; repeat it or separate URLs with
                                    commas to spread the requests round-robin over several nodes
              --rate N              open loop: N requests per second whatever the targets do, latency timed
                                    from each request's due time (coordinated omission corrected)
              --closed-loop         each connection sends its next request when the last one is answered:
                                    finds the peak throughput for --connections
              --duration 30s        measured window (ms, s or m)
              --warmup 5s           unmeasured load before the window (0s for none)
              --connections 32      keep-alive connections, spread evenly over the URLs (at least one per URL
                                    per thread); at a fixed rate, enough to cover rate x latency
              --threads 1           generator threads, the connections spread over them
              --header 'N: v'       extra request header, repeatable, e.g. 'Authorization: Bearer eyJ...'
              --method GET          request method (not HEAD or CONNECT)
              --body TEXT           request body (Content-Length is set; give Content-Type with --header)
              --body-file PATH      request body from a file
              --timeout 2s          a request or connect taking longer counts as a timeout
              --report-dir DIR      where the JSON summary, the .hgrm percentiles and the HTML latency plot go
                                    (default: loadtest/results)
              --help                this text
            Progress goes to stderr once a second, the report to stdout. Exit status: 0, 3 if any request
            failed, 2 for bad flags.
            """;

    /** Parses {@code args} ({@code --flag value} or {@code --flag=value}); fails naming the flag and the value. */
    static LoadCliOptions parse(String... args) {
        List<URI> urls = new ArrayList<>();
        Double rate = null;
        boolean closedLoop = false;
        Integer connections = null;
        int threads = 1;
        Duration duration = Duration.ofSeconds(30);
        Duration warmup = Duration.ofSeconds(5);
        String method = "GET";
        List<RequestTemplate.Header> headers = new ArrayList<>();
        String body = null;
        Path bodyFile = null;
        Duration timeout = LoadSpec.DEFAULT_REQUEST_TIMEOUT;
        Path reportDir = Path.of("loadtest/results");
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value = null;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            if (flag.equals("--closed-loop")) {
                if (value != null) {
                    throw new IllegalArgumentException("--closed-loop: " + value + " (expected: no value)");
                }
                closedLoop = true;
                continue;
            }
            if (!flag.startsWith("--") || !isFlag(flag)) {
                throw new IllegalArgumentException(flag + ": unknown flag (--help lists them)");
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + ": missing value");
                }
                value = args[++i];
            }
            switch (flag) {
                case "--url" -> urls.addAll(urls(value));
                case "--rate" -> rate = rate(value);
                case "--connections" -> connections = BenchmarkOptions.positiveInt(flag, value);
                case "--threads" -> threads = BenchmarkOptions.positiveInt(flag, value);
                case "--duration" -> duration = BenchmarkOptions.duration(flag, value, false);
                case "--warmup" -> warmup = BenchmarkOptions.duration(flag, value, true);
                case "--header" -> headers.add(header(value));
                case "--method" -> method = value.trim().toUpperCase(Locale.ROOT);
                case "--body" -> body = value;
                case "--body-file" -> bodyFile = Path.of(value);
                case "--timeout" -> timeout = BenchmarkOptions.duration(flag, value, false);
                case "--report-dir" -> reportDir = Path.of(value);
                default -> throw new IllegalStateException(flag);
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("--url: missing (expected: at least one, e.g. --url"
                    + " http://127.0.0.1:8080/)");
        }
        if (urls.stream().distinct().count() < urls.size()) {
            throw new IllegalArgumentException("--url: " + urls + " (expected: each URL once)");
        }
        if (rate != null && closedLoop) {
            throw new IllegalArgumentException("--closed-loop: given with --rate " + format(rate)
                    + " (expected: one of the two)");
        }
        if (rate == null && !closedLoop) {
            throw new IllegalArgumentException("--rate: missing (expected: --rate N for an open loop at N req/s, or"
                    + " --closed-loop to find the peak)");
        }
        if (body != null && bodyFile != null) {
            throw new IllegalArgumentException("--body-file: " + bodyFile + " (expected: not with --body)");
        }
        int needed = threads * urls.size();
        if (connections != null && connections < needed) {
            throw new IllegalArgumentException("--connections: " + connections + " (expected: >= " + needed
                    + ", one per URL on each of " + threads + " thread(s))");
        }
        int chosen = connections != null ? connections : Math.max(DEFAULT_CONNECTIONS, needed);
        try {
            // The request's own checks (method a token and not HEAD, no framing header) belong to RequestTemplate;
            // they run here too so that a bad flag is reported before anything starts.
            RequestTemplate.of(method, headers, new byte[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
        return new LoadCliOptions(List.copyOf(urls), rate != null ? Pacing.fixedRate(rate) : Pacing.closedLoop(),
                chosen, threads, duration, warmup, method, List.copyOf(headers), body, bodyFile, timeout,
                reportDir);
    }

    /** What the run does, in one line: "GET over 3 URLs, open loop at 50 req/s, 32 connections, ...". */
    String describe() {
        String where = urls.size() == 1 ? urls.get(0).toString() : "over " + urls.size() + " URLs";
        return String.format(Locale.ROOT, "%s %s, %s, %d connections on %d thread(s), %s warm-up + %s", method, where,
                mode(), connections, threads, format(warmup), format(duration));
    }

    /** "open loop at 50 req/s" or "closed loop"; how the report names the mode. */
    String mode() {
        return pacing instanceof Pacing.FixedRate fixed
                ? "open loop at " + format(fixed.requestsPerSecond()) + " req/s"
                : "closed loop";
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static String format(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static boolean isFlag(String flag) {
        return List.of("--url", "--rate", "--connections", "--threads", "--duration", "--warmup", "--header",
                "--method", "--body", "--body-file", "--timeout", "--report-dir").contains(flag);
    }

    private static List<URI> urls(String value) {
        List<URI> urls = new ArrayList<>();
        for (String url : value.split(",")) {
            if (url.isBlank()) {
                throw new IllegalArgumentException("--url: " + value + " (expected: URLs separated by single"
                        + " commas)");
            }
            try {
                urls.add(Endpoint.parseUrl(url.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--url: " + e.getMessage(), e);
            }
        }
        return urls;
    }

    private static double rate(String value) {
        try {
            double rate = Double.parseDouble(value.trim());
            if (rate > 0 && Double.isFinite(rate)) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below with the expected form
        }
        throw new IllegalArgumentException("--rate: " + value + " (expected: requests per second, a number > 0)");
    }

    private static RequestTemplate.Header header(String value) {
        try {
            return RequestTemplate.Header.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
    }
}
