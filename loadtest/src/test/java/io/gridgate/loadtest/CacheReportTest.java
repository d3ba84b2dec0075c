package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CacheReportTest {

    private static final BenchmarkOptions OPTIONS = BenchmarkOptions.parse("--scenario", "cache");
    private static final CoreUsage BUSY = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 1e9, 1e9);
    private static final CacheSample MISS = new CacheSample(2, 0, Map.of("MISS", 1, "HIT", 1), 1, 1);
    private static final CacheSample HITS = new CacheSample(100, 0, Map.of("HIT", 100), 100, 0);
    private static final CacheHits VERIFIED = new CacheHits(MISS, HITS, HITS);

    @Test
    void printsAndWritesTheWholeReportAsBeforeUnderEveryPinning() throws Exception {
        // One X-Cache value per sample: the JSON writes them in the map's order, which Map.of does not fix.
        CacheHits hits = new CacheHits(new CacheSample(2, 0, Map.of("MISS", 2), 1, 1), HITS, HITS);
        for (String pinning : List.of("one-cpu", "split", "none")) {
            BenchmarkResults results = results(BenchmarkOptions.parse("--scenario", "cache", "--pinning", pinning),
                    run("direct", 1, 40_000, 40_000), run("nginx", 1, 25_000, 25_000),
                    run("gridgate", 1, 20_000, 20_000), run("cached", 1, 45_000, 0),
                    run("direct", 2, 41_000, 41_000), run("nginx", 2, 24_000, 24_000),
                    run("gridgate", 2, 21_000, 21_000), run("cached", 2, 44_000, 20_000));
            Golden.assertReport("cache-" + pinning + ".txt", CacheReport.table(results, hits),
                    CacheReport.json(results, hits));
        }
    }

    @Test
    void reportsEachTargetsThroughputTheCacheHitOverNginxAndOverThePlainRouteAndThatTheHitsWereVerified() {
        BenchmarkResults results = results(
                run("direct", 1, 40_000, 40_000), run("nginx", 1, 25_000, 25_000),
                run("gridgate", 1, 20_000, 20_000), run("cached", 1, 45_000, 0),
                run("direct", 2, 41_000, 41_000), run("nginx", 2, 24_000, 24_000),
                run("gridgate", 2, 21_000, 21_000), run("cached", 2, 44_000, 0),
                run("direct", 3, 39_000, 39_000), run("nginx", 3, 26_000, 26_000),
                run("gridgate", 3, 19_000, 19_000), run("cached", 3, 30_000, 0));

        String table = CacheReport.table(results, VERIFIED);

        assertThat(table)
                .contains("Cache benchmark: 3 rounds, interleaved direct,nginx,gridgate,cached")
                .contains("cached    Gridgate route /cached, cache ttl 1h, every measured request a hit")
                .contains("cached/nginx    = 1.76  (target >= 1.50, floor 1.00): meets the target")
                .contains("cached/gridgate = 2.20")
                .contains("gridgate/nginx  = 0.80  (plain proxying; G/D = 0.50")
                .contains("cache hits verified")
                .contains("warm-up            2 requests: X-Cache HIT 1, MISS 1, 1 with Age, 1 reached the backend")
                .contains("before the rounds  100 requests: X-Cache HIT 100, 100 with Age, 0 reached the backend:"
                        + " HITS")
                .contains("measured runs of cached: 0 of 119,000 responses reached the backend")
                .contains("/nginx", "1/X-1/D us", "backend/resp", "CPU1 busy")
                .doesNotContain("NOT VERIFIED", "MISSES", "FLAGGED", "note:");
        // 1/44,000 - 1/40,000 s: a hit costs 2.3 us less than the backend it skips; no backend request per response
        assertThat(table).containsPattern("cached +44,000 +1\\.10 +1\\.76 +-2\\.3 .* 0\\.0000 ");
        assertThat(table).containsPattern("nginx +25,000 .* 1\\.0000 ");
    }

    @Test
    void predictsTheRatiosFromMeasuredCpuPerRequestWhichOthersOnTheCoreDoNotMove() {
        // nginx: 1 s of load CPU and 1 s of proxy CPU for 25,000 responses = 80 us/req; cached: 0.5 s + 0.5 s for
        // 50,000 = 20 us/req; direct (1 s for 40,000 = 25 us/req) has no proxy and counts its load CPU alone.
        CoreUsage nginx = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 1e9, 1e9);
        CoreUsage cached = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 5e8, 5e8);
        CoreUsage direct = new CoreUsage(1.0, 1.0, 0, 0, 0, 0, 1e9, Double.NaN);
        BenchmarkResults results = results(run("direct", 1, 40_000, 40_000, direct),
                run("nginx", 1, 25_000, 25_000, nginx), run("cached", 1, 50_000, 0, cached));

        assertThat(CacheReport.cpuRatio(results, "cached", "nginx")).isEqualTo(4.0);
        assertThat(CacheReport.cpuRatio(results, "direct", "nginx")).isEqualTo(3.2);
        assertThat(CacheReport.table(results, VERIFIED))
                .contains("from measured CPU per request (load + proxy, process time): cached/nginx = 4.00");
    }

    @Test
    void judgesCachedOverNginxAgainstTheTargetAndTheFloorOnlyWhenTheHitsWereVerified() {
        assertThat(CacheReport.verdict(1.5, true)).isEqualTo("meets the target");
        assertThat(CacheReport.verdict(1.2, true)).isEqualTo("below the target, above the floor");
        assertThat(CacheReport.verdict(1.0, true)).isEqualTo("below the target, above the floor");
        assertThat(CacheReport.verdict(0.99, true)).isEqualTo("BELOW THE FLOOR");
        assertThat(CacheReport.verdict(Double.NaN, true)).isEqualTo("not measured");
        assertThat(CacheReport.verdict(2.0, false)).startsWith("NOT A CACHE-HIT FIGURE");
    }

    @Test
    void saysTheFiguresAreNoCacheHitsWhenARunReachedTheBackend() {
        BenchmarkResults results = results(run("nginx", 1, 25_000, 25_000), run("cached", 1, 30_000, 0),
                run("nginx", 2, 25_000, 25_000), run("cached", 2, 20_000, 20_000));

        String table = CacheReport.table(results, VERIFIED);

        assertThat(table)
                .contains("cached/nginx    = 1.00  (target >= 1.50, floor 1.00): NOT A CACHE-HIT FIGURE")
                .contains("cache hits NOT VERIFIED")
                .contains("MISSES: cached round 2 sent 1.0000 backend requests per response")
                .contains("measured runs of cached: 20,000 of 50,000 responses reached the backend")
                .doesNotContain("MISSES: cached round 1");
        assertThat(CacheReport.json(results, VERIFIED))
                .contains("\"verified\": false")
                .contains("\"runsWithMisses\": 1");
    }

    @Test
    void saysTheFiguresAreNoCacheHitsWhenTheSampleAfterTheRoundsMissed() {
        CacheSample missed = new CacheSample(100, 0, Map.of("MISS", 100), 0, 100);
        BenchmarkResults results = results(run("nginx", 1, 25_000, 25_000), run("cached", 1, 50_000, 0));

        assertThat(CacheReport.table(results, new CacheHits(MISS, HITS, missed)))
                .contains("NOT A CACHE-HIT FIGURE")
                .contains("after the rounds   100 requests: X-Cache MISS 100, 0 with Age, 100 reached the backend:"
                        + " NOT_HITS");
    }

    @Test
    void notesHitsTheBackendNeverSawButThatWereNotLabelledHit() {
        CacheSample unlabelled = new CacheSample(100, 0, Map.of(CacheSample.NO_HEADER, 100), 0, 0);
        BenchmarkResults results = results(run("nginx", 1, 25_000, 25_000), run("cached", 1, 50_000, 0));

        assertThat(CacheReport.table(results, new CacheHits(MISS, unlabelled, unlabelled)))
                .contains("cached/nginx    = 2.00  (target >= 1.50, floor 1.00): meets the target")
                .contains("cache hits verified")
                .contains("note: the backend saw none of the sampled requests, but not every answer said X-Cache:"
                        + " HIT");
    }

    @Test
    void writesTheRatiosTheHitChecksAndEveryRunsBackendRequestsAsJson() {
        BenchmarkResults results = results(run("direct", 1, 40_000, 40_000), run("nginx", 1, 25_000, 25_000),
                run("gridgate", 1, 20_000, 20_000), run("cached", 1, 50_000, 0));

        String json = CacheReport.json(results, VERIFIED);

        assertThat(json)
                .contains("\"scenario\": \"cache\"")
                .contains("\"cacheTtl\": \"1h\"")
                .contains("\"cachedOverNginx\": 2")
                .contains("\"cachedOverGridgate\": 2.5")
                .contains("\"gridgateOverNginx\": 0.8")
                .contains("\"cachedOverNginxVerdict\": \"meets the target\"")
                .contains("\"verified\": true")
                .contains("\"labelledHit\": true")
                .contains("\"verdict\": \"HITS\"")
                .doesNotContain("\"verdict\": \"NOT_HITS\"") // the warm-up's miss is no verdict
                .contains("\"MISS\": 1")
                .contains("\"backendRequestsPerRun\"")
                .doesNotContain("rateFraction", "leaseSize", "latencyRuns");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    private static BenchmarkResults results(Measurement... runs) {
        return results(OPTIONS, runs);
    }

    private static BenchmarkResults results(BenchmarkOptions options, Measurement... runs) {
        return new BenchmarkResults(options, Map.of("pinning", "test"), List.of(runs), Double.NaN, List.of());
    }

    /** A one-second closed-loop run of {@code requests} responses, {@code backend} of which reached the backend. */
    private static Measurement run(String target, int round, long requests, double backend) {
        return run(target, round, requests, backend, BUSY);
    }

    private static Measurement run(String target, int round, long requests, double backend, CoreUsage cpu) {
        Histogram latency = new Histogram(3);
        latency.recordValue(100_000);
        LoadResult result = new LoadResult(Pacing.closedLoop(), Duration.ofSeconds(1), requests, requests,
                ErrorCounts.NONE, latency, new Histogram(3), false, List.of());
        return new Measurement(target, round, result, cpu, 0, Double.NaN, backend, Telemetry.NOT_COUNTED);
    }
}
