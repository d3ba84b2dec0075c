package io.gridgate.node.cache;

import io.gridgate.cluster.CachedResponse;
import io.gridgate.node.cache.Storability.NotStorable;
import io.gridgate.node.cache.Storability.Storable;
import io.gridgate.node.pipeline.LocalReply;
import io.undertow.server.ConduitWrapper;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.ConduitFactory;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import org.xnio.conduits.StreamSinkConduit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A request the cache sends on upstream. When the response head is committed it decides, once,
 * whether the response is stored; a stored one is copied as it streams to the client (up to the
 * route's entry bound) and put in the grid when the body has ended whole. When the response is an
 * error and a {@code stale-if-error} entry is at hand, the entry is sent instead.
 */
final class Fetch implements ConduitWrapper<StreamSinkConduit>, ExchangeCompletionListener {

    /** Never stored: the cache sets its own, and the framing is the connection's business. */
    private static final Set<String> NOT_STORED = Set.of("age", "x-cache", "content-length", "transfer-encoding",
            "connection", "keep-alive");

    private final CacheHandler cache;
    private final CacheRequest request;
    private final String label;
    private final boolean store;
    private final CachedResponse stale;
    /** The local flight this request leads, landed when it completes; null when it leads none. */
    private final Flight flight;
    private final String flightKey;
    /** Whether this node holds the grid's claim on {@code flightKey}, to give back when done. */
    private final boolean claimed;
    /** The purges heard of when the request went upstream: if one comes before the end, nothing is stored. */
    private final long purgeGeneration;

    /** Headers that handlers before the cache set (rate-limit state, deprecation): per request, never stored. */
    private HeaderMap earlier;
    private TeeConduit tee;
    private Storable storable;
    private int status;
    private List<CachedResponse.Header> headers;
    private String storeKey;
    private List<String> vary;
    private long contentLength;

    Fetch(CacheHandler cache, CacheRequest request, String label, boolean store, CachedResponse stale,
          Flight flight, String flightKey, boolean claimed) {
        this.cache = cache;
        this.request = request;
        this.label = label;
        this.store = store && !request.isHead();
        this.stale = stale;
        this.flight = flight;
        this.flightKey = flightKey;
        this.claimed = claimed;
        this.purgeGeneration = cache.purgeGeneration();
    }

    void start(HttpServerExchange exchange, HttpHandler next) throws Exception {
        HeaderMap out = exchange.getResponseHeaders();
        if (out.size() > 0) {
            earlier = new HeaderMap();
            for (HeaderValues values : out) {
                earlier.addAll(values.getHeaderName(), values);
            }
            out.clear();
        }
        exchange.addResponseWrapper(this);
        exchange.addExchangeCompleteListener(this);
        next.handleRequest(exchange);
    }

    @Override
    public StreamSinkConduit wrap(ConduitFactory<StreamSinkConduit> factory, HttpServerExchange exchange) {
        HeaderMap out = exchange.getResponseHeaders();
        status = exchange.getStatusCode();
        long now = System.currentTimeMillis();
        if (stale != null && isError(status) && stale.isServableAt(now)) {
            out.clear();
            exchange.setStatusCode(stale.status());
            Replay.addHeaders(out, stale.headers());
            out.put(Replay.AGE, Freshness.ageSeconds(stale.storedAtMillis(), now));
            out.put(Replay.X_CACHE, "STALE");
            restoreEarlier(out);
            exchange.setResponseContentLength(stale.bodyLength());
            return new StaleConduit(factory.create(), stale.bodyBuffer());
        }
        if (store) {
            decide(exchange, out, now);
        }
        out.put(Replay.X_CACHE, label);
        restoreEarlier(out);
        if (storable == null) {
            return factory.create();
        }
        tee = new TeeConduit(factory.create(), exchange.getConnection(), request.policy().rules().maxEntryBytes(),
                contentLength);
        return tee;
    }

    private void decide(HttpServerExchange exchange, HeaderMap out, long now) {
        ExchangeHeaders response = new ExchangeHeaders(out);
        Storability decision = request.policy().decide("GET", status, request.headers(), request.credentialed(),
                response, now);
        if (decision instanceof NotStorable refused) {
            cache.refused(flightKey, refused.reason());
            return;
        }
        storable = (Storable) decision;
        vary = List.copyOf(CachePolicy.varyHeaderNames(response));
        storeKey = request.key(vary);
        contentLength = storable.sizeKnown() ? exchange.getResponseContentLength() : -1;
        headers = new ArrayList<>(out.size());
        for (HeaderValues values : out) {
            String name = values.getHeaderName().toString();
            if (!NOT_STORED.contains(name.toLowerCase(Locale.ROOT))) {
                for (String value : values) {
                    headers.add(new CachedResponse.Header(name, value));
                }
            }
        }
    }

    private void restoreEarlier(HeaderMap out) {
        if (earlier != null) {
            for (HeaderValues values : earlier) {
                out.addAll(values.getHeaderName(), values);
            }
        }
    }

    /** The errors {@code stale-if-error} covers (RFC 5861 §4), the gateway's own 502-504 included. */
    private static boolean isError(int status) {
        return status == 500 || status == 502 || status == 503 || status == 504;
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
        try {
            CachedResponse stored = stored(exchange);
            if (stored != null) {
                cache.store(storeKey, stored, vary, request.primaryKey(), flightKey, flight, claimed,
                        exchange.getIoThread());
            } else if (claimed) {
                cache.release(flightKey, flight);
            }
            if (flight != null) {
                cache.land(flightKey, flight,
                        stored == null ? null : new Flight.Landed(storeKey, stored, purgeGeneration), stored != null);
            }
        } finally {
            nextListener.proceed();
        }
    }

    /**
     * The response to store, when it was storable, its body ended whole within the bound, and no
     * purge came while it was fetched: it may predate the purge, which must not be undone.
     */
    private CachedResponse stored(HttpServerExchange exchange) {
        // A local reply after the head went out means the exchange failed mid-body (upstream reset,
        // client gone): whatever was kept is not the response.
        if (tee == null || exchange.getAttachment(LocalReply.REASON) != null
                || cache.purgeGeneration() != purgeGeneration) {
            return null;
        }
        byte[] body = tee.body();
        if (body == null || (contentLength >= 0 && body.length != contentLength)) {
            return null;
        }
        return new CachedResponse(status, headers, body, storable.generatedAtMillis(), storable.expiresAtMillis(),
                storable.staleUntilMillis(), storable.tags(), request.path(), request.resource(), List.of());
    }
}
