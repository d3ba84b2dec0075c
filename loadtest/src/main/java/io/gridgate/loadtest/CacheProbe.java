package io.gridgate.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Sends the generator's request to a caching route a few times over one keep-alive connection and reads what the
 * answers and the backend's request count say about the cache (see {@link CacheSample}). Only between runs: the
 * backend's count is the route's misses only while nothing else is sending.
 */
final class CacheProbe {

    /** Requests per sample before and after the rounds. */
    static final int SAMPLE_REQUESTS = 100;

    /** How long {@link #warm} tries before it leaves the verdict to the sample that follows. */
    static final Duration WARM_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration TIMEOUT = LoadSpec.DEFAULT_REQUEST_TIMEOUT;
    private static final long WARM_RETRY_MILLIS = 20;

    private final HttpClient client;
    private final HttpRequest request;
    private final LongSupplier backendRequests;

    private CacheProbe(HttpClient client, HttpRequest request, LongSupplier backendRequests) {
        this.client = client;
        this.request = request;
        this.backendRequests = backendRequests;
    }

    /**
     * A probe of {@code target}'s path, asking as {@link RequestTemplate#get()} does (GET, HTTP/1.1, the same
     * {@code Host}, {@code User-Agent} and {@code Accept}), so that it reads the very entry the load hits.
     */
    static CacheProbe of(Target target, LongSupplier backendRequests) {
        URI uri = URI.create("http://" + target.address().getHostString() + ":" + target.address().getPort()
                + target.path());
        HttpRequest request = HttpRequest.newBuilder(uri)
                .version(HttpClient.Version.HTTP_1_1)
                .timeout(TIMEOUT)
                .header("User-Agent", "gridgate-loadtest")
                .header("Accept", "*/*")
                .GET()
                .build();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
        return new CacheProbe(client, request, backendRequests);
    }

    /**
     * Puts the route's response in the cache: sends one request at a time until one is answered without reaching the
     * backend (it found what the first one stored, which a cache may store after answering), for at most
     * {@code timeout}; tallies them all, the last one included.
     */
    CacheSample warm(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        CacheSample all = sample(1);
        while (System.nanoTime() < deadline) {
            CacheSample next = sample(1);
            all = all.plus(next);
            if (next.backendRequests() == 0 && next.failures() == 0) {
                break;
            }
            try {
                Thread.sleep(WARM_RETRY_MILLIS); // waiting on another process's store: there is no event to block on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while warming the cache", e);
            }
        }
        return all;
    }

    /** Sends {@code requests} requests one after another and tallies the answers. */
    CacheSample sample(int requests) {
        long backendBefore = backendRequests.getAsLong();
        Map<String, Integer> xCache = new TreeMap<>();
        int failures = 0;
        int withAge = 0;
        for (int i = 0; i < requests; i++) {
            HttpResponse<Void> response = send();
            if (response == null || response.statusCode() / 100 != 2) {
                failures++;
                continue;
            }
            String value = response.headers().firstValue("X-Cache")
                    .map(v -> v.trim().toUpperCase(Locale.ROOT))
                    .orElse(CacheSample.NO_HEADER);
            xCache.merge(value, 1, Integer::sum);
            withAge += response.headers().firstValue("Age").isPresent() ? 1 : 0;
        }
        return new CacheSample(requests, failures, xCache, withAge, backendRequests.getAsLong() - backendBefore);
    }

    /** The answer, or null if there was none (the sample counts it as a failure). */
    private HttpResponse<Void> send() {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing the cache", e);
        }
    }
}
