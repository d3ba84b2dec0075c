package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridgate.loadtest.CacheSample.Verdict;
import io.undertow.Undertow;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CacheProbeTest {

    @Test
    void warmsTheEntryWithOneMissAndThenSeesEveryRequestHitWithoutReachingTheBackend() {
        AtomicLong upstream = new AtomicLong();
        Undertow cache = fakeCache(upstream, new CopyOnWriteArrayList<>());
        try {
            CacheProbe probe = CacheProbe.of(target(cache), upstream::get);

            CacheSample warmUp = probe.warm(Duration.ofSeconds(5));
            CacheSample sample = probe.sample(20);

            assertThat(warmUp.xCache()).isEqualTo(Map.of("MISS", 1, "HIT", 1));
            assertThat(warmUp.backendRequests()).isEqualTo(1);
            assertThat(sample.verdict()).isEqualTo(Verdict.HITS);
            assertThat(sample.withAge()).isEqualTo(20);
            assertThat(sample.backendRequests()).isZero();
        } finally {
            cache.stop();
        }
    }

    @Test
    void asksWithTheGeneratorsHostUserAgentAndAcceptSoItReadsTheEntryTheLoadHits() {
        List<String> seen = new CopyOnWriteArrayList<>();
        Undertow cache = fakeCache(new AtomicLong(), seen);
        try {
            Target target = target(cache);
            CacheProbe.of(target, () -> 0).sample(1);

            String host = "127.0.0.1:" + target.address().getPort();
            assertThat(seen).containsExactly("Host: " + host, "User-Agent: gridgate-loadtest", "Accept: */*",
                    "GET /cached HTTP/1.1");
            assertThat(generatorRequest(target)).isEqualTo("GET /cached HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: gridgate-loadtest\r\nAccept: */*\r\n\r\n");
        } finally {
            cache.stop();
        }
    }

    @Test
    void keepsWarmingUntilTheCacheHasStoredWhatItAnsweredFirst() {
        AtomicLong upstream = new AtomicLong();
        Undertow cache = fakeCache(upstream, new CopyOnWriteArrayList<>(), 3);
        try {
            CacheSample warmUp = CacheProbe.of(target(cache), upstream::get).warm(Duration.ofSeconds(5));

            assertThat(warmUp.xCache()).isEqualTo(Map.of("MISS", 3, "HIT", 1));
            assertThat(warmUp.backendRequests()).isEqualTo(3);
        } finally {
            cache.stop();
        }
    }

    @Test
    void stopsWarmingAfterItsTimeoutAndLeavesTheVerdictToTheSample() {
        try (Backend backend = Backend.start(0)) {
            CacheSample warmUp = CacheProbe.of(Target.direct(backend.address()), backend::requests)
                    .warm(Duration.ofMillis(100));

            assertThat(warmUp.requests()).isGreaterThan(1);
            assertThat(warmUp.backendRequests()).isEqualTo(warmUp.requests());
        }
    }

    @Test
    void findsThatAPlainBackendAnswersEveryRequestItselfAndSaysNothingAboutACache() {
        try (Backend backend = Backend.start(0)) {
            CacheSample sample = CacheProbe.of(Target.direct(backend.address()), backend::requests).sample(10);

            assertThat(sample.xCache()).isEqualTo(Map.of(CacheSample.NO_HEADER, 10));
            assertThat(sample.backendRequests()).isEqualTo(10);
            assertThat(sample.verdict()).isEqualTo(Verdict.NOT_HITS);
        }
    }

    @Test
    void countsErrorAnswersAsFailures() {
        try (Backend backend = Backend.startAnswering(503, 0)) {
            CacheSample sample = CacheProbe.of(Target.direct(backend.address()), backend::requests).sample(3);

            assertThat(sample.failures()).isEqualTo(3);
            assertThat(sample.verdict()).isEqualTo(Verdict.NOT_HITS);
        }
    }

    /** A fake cache that stores what it answered first at once. */
    private static Undertow fakeCache(AtomicLong upstream, List<String> seen) {
        return fakeCache(upstream, seen, 1);
    }

    /**
     * Answers its first {@code misses} requests as misses (counted in {@code upstream}) and every later one as a hit
     * with {@code Age}, recording the first request's Host, User-Agent and Accept headers and its request line in
     * {@code seen}.
     */
    private static Undertow fakeCache(AtomicLong upstream, List<String> seen, int misses) {
        AtomicLong answered = new AtomicLong();
        Undertow server = Undertow.builder()
                .addHttpListener(0, "127.0.0.1")
                .setIoThreads(1)
                .setHandler(exchange -> {
                    if (seen.isEmpty()) {
                        for (String name : List.of("Host", "User-Agent", "Accept")) {
                            seen.add(name + ": " + exchange.getRequestHeaders().getFirst(name));
                        }
                        seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                                + exchange.getProtocol());
                    }
                    boolean miss = answered.getAndIncrement() < misses;
                    if (miss) {
                        upstream.incrementAndGet();
                    } else {
                        exchange.getResponseHeaders().put(HttpString.tryFromString("Age"), "0");
                    }
                    exchange.getResponseHeaders().put(HttpString.tryFromString("X-Cache"), miss ? "MISS" : "hit");
                    exchange.getResponseSender().send("cached body");
                })
                .build();
        server.start();
        return server;
    }

    private static String generatorRequest(Target target) {
        LoadSpec spec = LoadSpec.builder(target.address()).path(target.path()).warmup(Duration.ZERO)
                .duration(Duration.ofSeconds(1)).build();
        return StandardCharsets.US_ASCII.decode(spec.request().encode(spec.endpoints().get(0))).toString();
    }

    private static Target target(Undertow server) {
        InetSocketAddress address = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        return new Target() {
            @Override
            public String name() {
                return "cached";
            }

            @Override
            public InetSocketAddress address() {
                return address;
            }

            @Override
            public String path() {
                return "/cached";
            }

            @Override
            public OptionalLong cpuNanos() {
                return OptionalLong.empty();
            }

            @Override
            public void close() {
                // the test stops the server
            }
        };
    }
}
