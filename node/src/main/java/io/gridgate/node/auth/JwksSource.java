package io.gridgate.node.auth;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The keys of one issuer: those of its config plus those at its JWKS URL. The key set is fetched at
 * start, refetched every {@code refresh} and, when a token needs a key the set lacks, at once but
 * at most once per {@code minInterval} (measured on the injected clock). Callers that need a fresh
 * set while a fetch is under way share that fetch. A failed fetch keeps the last good set; a
 * successful one replaces it whole.
 */
final class JwksSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JwksSource.class.getName());

    /** Bounds connecting and waiting for the response head. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Bounds a whole fetch, body included, so waiting verifications end. */
    static final Duration FETCH_DEADLINE = TIMEOUT.multipliedBy(2);
    /** The largest key set document read. */
    static final int MAX_BYTES = 1 << 20;

    private final String issuerId;
    private final URI url;
    private final Duration minInterval;
    private final Clock clock;
    private final JwtKeys configured;
    private final JwtKeys.Compiler compiler;
    private final HttpClient client;
    private final ScheduledExecutorService scheduler;

    private volatile JwtKeys keys;

    // guarded by this
    private CompletableFuture<JwtKeys> inFlight;
    private long lastFetchMillis;
    private boolean closed;

    private JwksSource(String issuerId, URI url, Duration minInterval, Clock clock, JwtKeys configured, JwtKeys.Compiler compiler) {
        this.issuerId = issuerId;
        this.url = url;
        this.minInterval = minInterval;
        this.clock = clock;
        this.configured = configured;
        this.compiler = compiler;
        this.keys = configured;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gridgate-jwks-" + issuerId);
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Starts the first fetch in the background and schedules the refreshes. */
    static JwksSource start(String issuerId, URI url, Duration refresh, Duration minInterval, Clock clock,
                            JwtKeys configured, JwtKeys.Compiler compiler) {
        JwksSource source = new JwksSource(issuerId, url, minInterval, clock, configured, compiler);
        synchronized (source) {
            source.fetch();
        }
        long period = refresh.toMillis();
        source.scheduler.scheduleWithFixedDelay(source::refresh, period, period, TimeUnit.MILLISECONDS);
        return source;
    }

    /** The configured keys followed by the last fetched key set. */
    JwtKeys keys() {
        return keys;
    }

    /**
     * The key set once it may hold a key it lacks now: the fetch under way, or a new fetch if the
     * last began at least {@code minInterval} ago, or else the current set at once. Never fails.
     */
    synchronized CompletableFuture<JwtKeys> refetch() {
        if (inFlight != null) {
            return inFlight;
        }
        if (closed || clock.millis() - lastFetchMillis < minInterval.toMillis()) {
            return CompletableFuture.completedFuture(keys);
        }
        return fetch();
    }

    private synchronized void refresh() {
        if (inFlight == null && !closed) {
            fetch();
        }
    }

    /** Begins a fetch; the request itself is sent from the scheduler thread, never the caller's. */
    private CompletableFuture<JwtKeys> fetch() {
        lastFetchMillis = clock.millis();
        CompletableFuture<JwtKeys> done = new CompletableFuture<>();
        inFlight = done;
        try {
            scheduler.execute(() -> send(done));
        } catch (RejectedExecutionException e) {
            finish(done, keys);
        }
        return done;
    }

    private void send(CompletableFuture<JwtKeys> done) {
        try {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET()
                    .header("Accept", "application/jwk-set+json, application/json").build();
            client.sendAsync(request, JwksBody.handler(MAX_BYTES))
                    .orTimeout(FETCH_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .thenApply(this::replace)
                    .whenComplete((replaced, error) -> finish(done, error == null ? replaced : kept(error)));
        } catch (RuntimeException e) {
            finish(done, kept(e));
        }
    }

    private JwtKeys replace(HttpResponse<byte[]> response) {
        JwksParser.Result parsed;
        try {
            parsed = JwksParser.parse(response.body());
        } catch (IOException e) {
            throw new CompletionException(e);
        }
        parsed.skipped().forEach(reason -> LOG.fine(() -> "auth.jwt " + issuerId + ": skipped a key of " + url + ": " + reason));
        List<JwtKeys.Key> fetched = new ArrayList<>();
        for (JwksParser.JwkKey key : parsed.keys()) {
            try {
                fetched.add(new JwtKeys.Key(key.kid(), key.algorithm(), compiler.compile(key.algorithm().withPublicKey(key.publicKey()))));
            } catch (IllegalArgumentException e) {
                LOG.fine(() -> "auth.jwt " + issuerId + ": skipped key " + key + " of " + url + ": " + e.getMessage());
            }
        }
        JwtKeys replaced = configured.plus(fetched);
        JwtKeys previous = keys;
        keys = replaced;
        if (!replaced.toString().equals(previous.toString())) {
            LOG.info(() -> "auth.jwt " + issuerId + ": keys now " + replaced + " (from " + url + ")");
        }
        return replaced;
    }

    private JwtKeys kept(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        JwtKeys current = keys;
        LOG.log(Level.WARNING, "auth.jwt {0}: fetching {1} failed ({2}); keeping {3} keys",
                new Object[] {issuerId, url, cause.toString(), current.size()});
        return current;
    }

    private void finish(CompletableFuture<JwtKeys> done, JwtKeys result) {
        synchronized (this) {
            if (inFlight == done) {
                inFlight = null;
            }
        }
        done.complete(result);
    }

    /** Stops the refreshes; verifications waiting on a fetch get the current set. */
    @Override
    public void close() {
        CompletableFuture<JwtKeys> pending;
        synchronized (this) {
            closed = true;
            pending = inFlight;
            inFlight = null;
        }
        scheduler.shutdownNow();
        if (pending != null) {
            pending.complete(keys);
        }
    }
}
