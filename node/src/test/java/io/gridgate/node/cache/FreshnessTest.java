package io.gridgate.node.cache;

import io.gridgate.cluster.CachedResponse;
import io.gridgate.node.cache.Storability.Storable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static io.gridgate.node.cache.TestHeaders.NOW;
import static org.assertj.core.api.Assertions.assertThat;

class FreshnessTest {

    @ParameterizedTest(name = "expires 1000, revalidate 2000, stale 3000 at {0} -> {1}")
    @CsvSource({
            "0,    FRESH",
            "999,  FRESH",
            "1000, STALE_REVALIDATE",
            "1999, STALE_REVALIDATE",
            "2000, STALE_IF_ERROR",
            "2999, STALE_IF_ERROR",
            "3000, EXPIRED",
            "9999, EXPIRED",
    })
    void movesThroughItsStatesAtExactBoundaries(long now, Freshness expected) {
        assertThat(Freshness.at(1000, 2000, 3000, now)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "expires=revalidate=stale=1000 at {0} -> {1}")
    @CsvSource({"999, FRESH", "1000, EXPIRED"})
    void goesStraightFromFreshToExpiredWithoutStaleWindows(long now, Freshness expected) {
        assertThat(Freshness.at(1000, 1000, 1000, now)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "stored {0}, now {1} -> Age {2}")
    @CsvSource({"0, 0, 0", "0, 999, 0", "0, 1000, 1", "0, 61500, 61", "5000, 0, 0"})
    void countsAgeInWholeSecondsNeverNegative(long storedAt, long now, long age) {
        assertThat(Freshness.ageSeconds(storedAt, now)).isEqualTo(age);
    }

    @ParameterizedTest(name = "[{0}] at +{1}ms -> {2}")
    @CsvSource(delimiter = ';', value = {
            "max-age=60, stale-while-revalidate=30, stale-if-error=120; 59999;  FRESH",
            "max-age=60, stale-while-revalidate=30, stale-if-error=120; 60000;  STALE_REVALIDATE",
            "max-age=60, stale-while-revalidate=30, stale-if-error=120; 90000;  STALE_IF_ERROR",
            "max-age=60, stale-while-revalidate=30, stale-if-error=120; 180000; EXPIRED",
            "max-age=60, stale-if-error=120;                           60000;  STALE_IF_ERROR",
            "max-age=60, stale-while-revalidate=7200;                  659999; STALE_REVALIDATE",
            "max-age=60, stale-while-revalidate=7200;                  660000; EXPIRED",
    })
    void judgesAStoredEntryAsItWasJudgedWhenStored(String cacheControl, long after, Freshness expected) {
        CachePolicy policy = CachePolicy.of(CacheRules.builder().maxStale(Duration.ofMinutes(10)).build());
        Headers response = Headers.of("Cache-Control", cacheControl);
        Storable storable = (Storable) policy.decide("GET", 200, Headers.empty(), response, NOW);
        CachedResponse entry = new CachedResponse(200, List.of(new CachedResponse.Header("Cache-Control", cacheControl)),
                new byte[0], storable.generatedAtMillis(), storable.expiresAtMillis(), storable.staleUntilMillis(),
                storable.tags(), "/x");

        assertThat(policy.freshness(entry, NOW + after)).isEqualTo(expected);
        assertThat(Freshness.at(storable.expiresAtMillis(), storable.revalidateUntilMillis(),
                storable.staleUntilMillis(), NOW + after)).isEqualTo(expected);
    }
}
