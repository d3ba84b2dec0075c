package io.gridgate.node.cache;

import io.gridgate.cluster.CachedResponse;
import io.gridgate.cluster.ResponseCache;
import io.gridgate.node.cache.Storability.Reason;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.WorkerUtils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The response cache of routes that have one. A GET or HEAD is looked up under its key (a
 * response that varies is found through its variant index); a fresh entry is answered from here,
 * a stale one per its {@code stale-while-revalidate} and {@code stale-if-error}, and a miss goes
 * upstream through {@link Fetch}, which stores what may be stored.
 *
 * <p>Misses for one key make one upstream request across the cluster: on each node the first
 * miss leads and the others wait for it ({@link Flight}); the leaders take a claim in the grid, and
 * a leader that does not get it polls the grid for the claimant's response. Waits are bounded by
 * the route's {@code singleFlightWait}; past it a request goes upstream itself.
 *
 * <p>Grid reads complete at once from the near cache for hot keys; otherwise the exchange waits,
 * dispatched, and resumes on its own I/O thread. A grid that does not answer within
 * {@value #GRID_TIMEOUT_MILLIS} ms counts as a miss.
 */
public final class CacheHandler implements HttpHandler {

    static final long GRID_TIMEOUT_MILLIS = 500;
    /** Bound on flights and remembered uncacheable keys; past it misses simply go upstream. */
    static final int MAX_TRACKED_KEYS = 10_000;
    private static final long FIRST_POLL_MILLIS = 10;
    private static final long MAX_POLL_MILLIS = 100;
    private static final Logger LOG = Logger.getLogger(CacheHandler.class.getName());
    /** Request headers some frameworks let override the URL, method, host, port or scheme. */
    static final Set<HttpString> OVERRIDES = Stream.of("X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override",
            "X-HTTP-Method", "X-Method-Override", "X-Forwarded-Scheme", "X-Forwarded-Port", "X-Forwarded-Server",
            "X-Forwarded-Prefix", "X-Host", "X-Original-Host").map(HttpString::new).collect(Collectors.toUnmodifiableSet());

    private final ResponseCache cache;
    private final String owner;
    private final HttpHandler next;
    private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();
    private final Passes passes = new Passes(MAX_TRACKED_KEYS);
    private final AtomicLong flightIds = new AtomicLong();

    /** @param owner this node's name in the grid's single-flight claims */
    public CacheHandler(ResponseCache cache, String owner, HttpHandler next) {
        this.cache = cache;
        this.owner = owner;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        CachePolicy policy = exchange.getAttachment(RouteMatch.KEY).route().cache();
        HttpString method = exchange.getRequestMethod();
        if (policy == null || !(method.equals(Methods.GET) || method.equals(Methods.HEAD)) || isUpgrade(exchange)) {
            next.handleRequest(exchange);
            return;
        }
        stripOverrides(exchange, policy);
        CacheRequest request = CacheRequest.of(exchange, policy);
        if (hasBody(exchange)) {
            // A body is not in the key, so what it asks for must not be stored for others.
            new Fetch(this, request, "BYPASS", false, null, null, null, false).start(exchange, next);
            return;
        }
        if (!policy.isLookupAllowed(request.method(), request.headers())) {
            fetch(exchange, request, "BYPASS", null);
            return;
        }
        Resume.whenDone(exchange, read(request.primaryKey()), (ex, found) -> {
            CachedResponse entry = found.orElse(null);
            if (entry != null && entry.isVaryIndex()) {
                String key = request.key(entry.vary());
                Resume.whenDone(ex, read(key), (e, variant) -> found(e, request, key, variant.orElse(null)));
            } else {
                found(ex, request, request.primaryKey(), entry);
            }
        });
    }

    /**
     * Removes the headers that frameworks read as a different URL, method, host or scheme
     * ({@code X-Original-URL} and the like), unless the route keys on them: unkeyed, any client
     * could use them to make the upstream store a different response under a shared key.
     */
    private static void stripOverrides(HttpServerExchange exchange, CachePolicy policy) {
        HeaderMap headers = exchange.getRequestHeaders();
        List<HttpString> found = null;
        // One pass over the request's few headers, rather than a lookup per override name.
        for (long it = headers.fastIterateNonEmpty(); it != -1L; it = headers.fiNextNonEmpty(it)) {
            HttpString name = headers.fiCurrent(it).getHeaderName();
            if (OVERRIDES.contains(name) && !policy.rules().keyHeaders().contains(name.toString().toLowerCase(Locale.ROOT))) {
                if (found == null) {
                    found = new ArrayList<>(2);
                }
                found.add(name);
            }
        }
        if (found != null) {
            found.forEach(headers::remove);
        }
    }

    /**
     * A protocol switch (a WebSocket handshake) is a conversation, not a response to store or
     * replay. An h2c upgrade is not one: the server itself switches, and the request is answered
     * like any other.
     */
    private static boolean isUpgrade(HttpServerExchange exchange) {
        String upgrade = exchange.getRequestHeaders().getFirst(io.undertow.util.Headers.UPGRADE);
        return upgrade != null && !upgrade.trim().equalsIgnoreCase("h2c");
    }

    private static boolean hasBody(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getRequestHeaders();
        return exchange.getRequestContentLength() > 0 || headers.contains(io.undertow.util.Headers.TRANSFER_ENCODING);
    }

    private void found(HttpServerExchange exchange, CacheRequest request, String key, CachedResponse entry)
            throws Exception {
        long now = System.currentTimeMillis();
        if (entry == null) {
            miss(exchange, request, key, null);
        } else if (!request.policy().mayServe(entry, request.credentialed())) {
            fetch(exchange, request, "BYPASS", null);
        } else if (entry.isFreshAt(now)) {
            Replay.send(exchange, request.method(), entry, "HIT", now);
        } else {
            switch (request.policy().freshness(entry, now)) {
                case FRESH -> Replay.send(exchange, request.method(), entry, "HIT", now);
                case STALE_REVALIDATE -> revalidate(exchange, request, key, entry);
                case STALE_IF_ERROR -> miss(exchange, request, key, entry);
                case EXPIRED -> miss(exchange, request, key, null);
            }
        }
    }

    /**
     * Within {@code stale-while-revalidate}: one request, the one that gets the key's claim, fetches
     * a new response while every other is answered with the stale one at once.
     */
    private void revalidate(HttpServerExchange exchange, CacheRequest request, String key, CachedResponse stale)
            throws Exception {
        long now = System.currentTimeMillis();
        if (request.isHead() || flights.containsKey(key) || flights.size() >= MAX_TRACKED_KEYS) {
            Replay.send(exchange, request.method(), stale, "STALE", now);
            return;
        }
        Flight mine = newFlight();
        if (flights.putIfAbsent(key, mine) != null) {
            Replay.send(exchange, request.method(), stale, "STALE", now);
            return;
        }
        Resume.whenDone(exchange, claim(key, request, mine), (ex, won) -> {
            if (won) {
                new Fetch(this, request, "MISS", true, stale, mine, key, true).start(ex, next);
            } else {
                land(key, mine, null, false);
                Replay.send(ex, request.method(), stale, "STALE", System.currentTimeMillis());
            }
        });
    }

    private void miss(HttpServerExchange exchange, CacheRequest request, String key, CachedResponse stale)
            throws Exception {
        long waitMillis = request.policy().rules().singleFlightWait().toMillis();
        if (request.isHead() || waitMillis == 0 || passes.passing(key)) {
            fetch(exchange, request, "MISS", stale);
            return;
        }
        Flight existing = flights.get(key);
        if (existing != null) {
            wait(exchange, request, existing, stale, waitMillis);
            return;
        }
        if (flights.size() >= MAX_TRACKED_KEYS) {
            fetch(exchange, request, "MISS", stale);
            return;
        }
        Flight mine = newFlight();
        Flight raced = flights.putIfAbsent(key, mine);
        if (raced != null) {
            wait(exchange, request, raced, stale, waitMillis);
            return;
        }
        Resume.whenDone(exchange, claim(key, request, mine), (ex, won) -> {
            if (won) {
                fetchClaimed(ex, request, key, mine, stale);
            } else {
                poll(ex, request, key, key, mine, stale, System.currentTimeMillis() + waitMillis, FIRST_POLL_MILLIS);
            }
        });
    }

    /**
     * With the claim: read once more, since the previous claimant may have stored the response and
     * let go of the claim between this request's read and its claim; fetch only if it is still missing.
     */
    private void fetchClaimed(HttpServerExchange exchange, CacheRequest request, String key, Flight flight,
                              CachedResponse stale) throws Exception {
        Resume.whenDone(exchange, read(key), (ex, found) -> {
            CachedResponse entry = found.orElse(null);
            long now = System.currentTimeMillis();
            if (entry != null && !entry.isVaryIndex() && entry.isFreshAt(now)
                    && request.policy().mayServe(entry, request.credentialed())) {
                release(key, flight);
                land(key, flight, new Flight.Landed(key, entry, cache.purgeGeneration()), false);
                Replay.send(ex, request.method(), entry, "HIT", now);
            } else {
                new Fetch(this, request, "MISS", true, stale, flight, key, true).start(ex, next);
            }
        });
    }

    /** Claims the key in the grid; a grid that fails or is slow grants it, so the request is not held up. */
    private CompletableFuture<Boolean> claim(String key, CacheRequest request, Flight flight) {
        Duration lease = Duration.ofMillis(request.totalTimeoutMillis() + 1000);
        return cache.tryClaim(key, flight.claimant(), lease).toCompletableFuture()
                .orTimeout(GRID_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .exceptionally(e -> Boolean.TRUE);
    }

    /**
     * Another node fetches the key: read the grid until its response is there or the wait is over.
     * {@code readKey} starts as the flight's key and moves to the variant's when a variant index appears.
     */
    private void poll(HttpServerExchange exchange, CacheRequest request, String key, String readKey, Flight flight,
                      CachedResponse stale, long deadline, long delayMillis) {
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> WorkerUtils.executeAfter(exchange.getIoThread(),
                () -> read(readKey).whenComplete((found, e) -> Resume.resume(exchange, ex -> {
                    CachedResponse entry = found == null ? null : found.orElse(null);
                    long now = System.currentTimeMillis();
                    if (entry != null && entry.isVaryIndex() && readKey.equals(key)) {
                        poll(ex, request, key, request.key(entry.vary()), flight, stale, deadline, 0);
                    } else if (entry != null && !entry.isVaryIndex() && entry.isFreshAt(now)) {
                        Flight.Landed landed = new Flight.Landed(readKey, entry, cache.purgeGeneration());
                        land(key, flight, landed, false);
                        serveWaited(ex, request, landed, stale);
                    } else if (now >= deadline) {
                        land(key, flight, null, false);
                        fetch(ex, request, "MISS", stale);
                    } else {
                        poll(ex, request, key, readKey, flight, stale, deadline,
                                Math.min(MAX_POLL_MILLIS, Math.max(FIRST_POLL_MILLIS, delayMillis * 2)));
                    }
                })), Math.max(1, delayMillis), TimeUnit.MILLISECONDS));
    }

    private void wait(HttpServerExchange exchange, CacheRequest request, Flight flight, CachedResponse stale,
                      long waitMillis) {
        Flight.Waiter waiter = new Flight.Waiter(landed ->
                Resume.resume(exchange, ex -> serveWaited(ex, request, landed, stale)));
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            flight.join(waiter);
            WorkerUtils.executeAfter(exchange.getIoThread(), () -> waiter.resume(null), waitMillis, TimeUnit.MILLISECONDS);
        });
    }

    /**
     * After a wait: the flight's response if this request may have it (fresh, allowed to this
     * sender, and stored under the key this request's own headers make), else upstream on its own.
     */
    private void serveWaited(HttpServerExchange exchange, CacheRequest request, Flight.Landed landed,
                             CachedResponse stale) throws Exception {
        long now = System.currentTimeMillis();
        CachedResponse response = landed == null || landed.purgeGeneration() != cache.purgeGeneration()
                ? null : landed.response();
        if (response != null && response.isFreshAt(now) && request.policy().mayServe(response, request.credentialed())
                && request.key(varyOf(response)).equals(landed.key())) {
            Replay.send(exchange, request.method(), response, "HIT", now);
        } else {
            fetch(exchange, request, "MISS", stale);
        }
    }

    /** The request headers a stored response varies on. */
    private static List<String> varyOf(CachedResponse response) {
        return List.copyOf(CachePolicy.varyHeaderNames(Headers.ofStored(response.headers())));
    }

    private void fetch(HttpServerExchange exchange, CacheRequest request, String label, CachedResponse stale)
            throws Exception {
        new Fetch(this, request, label, true, stale, null, null, false).start(exchange, next);
    }

    private CompletableFuture<Optional<CachedResponse>> read(String key) {
        CompletableFuture<Optional<CachedResponse>> read = cache.get(key).toCompletableFuture();
        if (read.isDone() && !read.isCompletedExceptionally()) {
            return read; // a near-cache hit: nothing to time out
        }
        return read.orTimeout(GRID_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .exceptionally(e -> {
                    LOG.log(Level.FINE, "cache read failed; answering as a miss", e);
                    return Optional.empty();
                });
    }

    // ---- called by Fetch when its exchange completes ----

    private Flight newFlight() {
        return new Flight(owner + "/" + flightIds.incrementAndGet());
    }

    /**
     * Puts the response (and its variant index), then gives up the claim and retires the flight,
     * which until then answers this node's new misses for the key with the response. Each next
     * grid call is made from {@code ioThread}: a grid future completes on a partition thread, and a
     * call made from there for a key of the same partition never completes.
     */
    void store(String key, CachedResponse response, List<String> vary, String primaryKey, String flightKey,
               Flight flight, boolean claimed, Executor ioThread) {
        CompletableFuture<Void> put = cache.put(key, response).toCompletableFuture();
        if (!vary.isEmpty()) {
            put = put.thenComposeAsync(v -> cache.put(primaryKey, CachedResponse.varyIndex(vary, response)), ioThread);
        }
        put.whenCompleteAsync((v, e) -> {
            if (e != null) {
                LOG.log(Level.FINE, "cache write failed", e);
            }
            if (claimed) {
                release(flightKey, flight);
            }
            if (flight != null) {
                flights.remove(flightKey, flight);
            }
        }, ioThread);
    }

    long purgeGeneration() {
        return cache.purgeGeneration();
    }

    void release(String key, Flight flight) {
        cache.release(key, flight.claimant());
    }

    /**
     * Hands the flight's outcome to its waiters; with {@code keep}, the flight stays to answer new
     * misses until {@link #store} retires it, since the grid may not have the response yet.
     */
    void land(String key, Flight flight, Flight.Landed landed, boolean keep) {
        flight.land(landed);
        if (!keep) {
            flights.remove(key, flight);
        }
    }

    /** A response for the key was not storable: for a while its misses go straight upstream. */
    void refused(String key, Reason reason) {
        passes.refused(key, reason);
    }
}
