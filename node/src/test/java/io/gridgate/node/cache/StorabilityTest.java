package io.gridgate.node.cache;

import io.gridgate.node.cache.Storability.NotStorable;
import io.gridgate.node.cache.Storability.Reason;
import io.gridgate.node.cache.Storability.Storable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.gridgate.node.cache.TestHeaders.NOW;
import static io.gridgate.node.cache.TestHeaders.date;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class StorabilityTest {

    private static final CacheRules RULES = CacheRules.builder()
            .defaultTtl(Duration.ofSeconds(30))
            .maxEntryBytes(1000)
            .maxStale(Duration.ofMinutes(10))
            .build();
    private final CachePolicy policy = CachePolicy.of(RULES);

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments("POST", 200, "", "Cache-Control: max-age=60", Reason.METHOD_NOT_CACHEABLE),
                arguments("PUT", 200, "", "Cache-Control: max-age=60", Reason.METHOD_NOT_CACHEABLE),
                arguments("GET", 206, "", "Cache-Control: max-age=60", Reason.STATUS_NOT_CACHEABLE),
                arguments("GET", 302, "", "Cache-Control: max-age=60", Reason.STATUS_NOT_CACHEABLE),
                arguments("GET", 500, "", "Cache-Control: max-age=60", Reason.STATUS_NOT_CACHEABLE),
                arguments("GET", 200, "Cache-Control: no-store", "Cache-Control: max-age=60", Reason.REQUEST_NO_STORE),
                arguments("GET", 200, "", "Cache-Control: no-store", Reason.NO_STORE),
                arguments("GET", 200, "", "Cache-Control: public, max-age=60, no-store", Reason.NO_STORE),
                arguments("GET", 200, "", "Cache-Control: private", Reason.PRIVATE),
                arguments("GET", 200, "", "Cache-Control: private=\"X-User, X-Id\", max-age=60", Reason.PRIVATE),
                arguments("GET", 200, "", "Cache-Control: s-maxage=60 | Cache-Control: private", Reason.PRIVATE),
                arguments("GET", 200, "", "Cache-Control: no-cache", Reason.NO_CACHE),
                arguments("GET", 200, "", "Cache-Control: NO-CACHE=\"Set-Cookie\", max-age=60", Reason.NO_CACHE),
                arguments("GET", 200, "", "Cache-Control: public, max-age=60 | Set-Cookie: s=1", Reason.SET_COOKIE),
                arguments("GET", 200, "", "Cache-Control: max-age=60 | Vary: *", Reason.VARY_STAR),
                arguments("GET", 200, "", "Cache-Control: max-age=60 | Vary: Accept, *", Reason.VARY_STAR),
                arguments("GET", 200, "Authorization: Bearer t", "Cache-Control: max-age=60", Reason.AUTHORIZATION_NOT_SHAREABLE),
                arguments("GET", 200, "Authorization: Bearer t", "", Reason.AUTHORIZATION_NOT_SHAREABLE),
                arguments("GET", 200, "Authorization: Bearer t", "Cache-Control: proxy-revalidate, max-age=9", Reason.AUTHORIZATION_NOT_SHAREABLE),
                arguments("GET", 200, "", "Cache-Control: max-age=60 | Content-Length: 1001", Reason.TOO_LARGE),
                arguments("GET", 200, "", "Cache-Control: max-age=60 | Content-Length: ten", Reason.BAD_CONTENT_LENGTH),
                arguments("GET", 200, "", "Cache-Control: max-age=60 | Content-Length: 5 | Content-Length: 6", Reason.BAD_CONTENT_LENGTH),
                arguments("GET", 200, "", "Cache-Control: max-age=0", Reason.ALREADY_STALE),
                arguments("GET", 200, "", "Cache-Control: max-age=soon", Reason.ALREADY_STALE),
                arguments("GET", 200, "", "Cache-Control: max-age=60 | Age: 60", Reason.ALREADY_STALE),
                arguments("GET", 200, "", "Cache-Control: max-age=0, must-revalidate, stale-while-revalidate=60", Reason.ALREADY_STALE),
                arguments("GET", 200, "", "Expires: 0", Reason.ALREADY_STALE),
                arguments("GET", 200, "", "Expires: " + date(-10) + " | Date: " + date(0), Reason.ALREADY_STALE));
    }

    @ParameterizedTest(name = "{0} {1} [{2}] -> [{3}] not stored: {4}")
    @MethodSource("refused")
    void doesNotStoreWhatTheRulesForbid(String method, int status, String request, String response, Reason reason) {
        assertThat(decide(method, status, request, response)).isEqualTo(new NotStorable(reason));
    }

    static Stream<Arguments> stored() {
        return Stream.of(
                // response headers; fresh, revalidate-until, stale-until as seconds from now
                arguments(200, "Cache-Control: max-age=60", 60, 60, 60),
                arguments(200, "Cache-Control: public, max-age=60", 60, 60, 60),
                arguments(200, "Cache-Control: max-age=60, s-maxage=120", 120, 120, 120),
                arguments(200, "Cache-Control: s-maxage=5, max-age=600", 5, 5, 5),
                arguments(200, "Cache-Control: max-age=\"45\"", 45, 45, 45),
                arguments(200, "Cache-Control: max-age=60, max-age=10", 60, 60, 60),
                arguments(200, "Cache-Control: max-age=99999999999999999999", 1L << 31, 1L << 31, 1L << 31),
                arguments(200, "Cache-Control: max-age=60 | Age: 15", 45, 45, 45),
                arguments(200, "Cache-Control: max-age=60 | Age: junk", 60, 60, 60),
                arguments(200, "Cache-Control: max-age=60, stale-while-revalidate=30", 60, 90, 90),
                arguments(200, "Cache-Control: max-age=60, stale-if-error=300", 60, 60, 360),
                arguments(200, "Cache-Control: max-age=60, stale-while-revalidate=30, stale-if-error=300", 60, 90, 360),
                arguments(200, "Cache-Control: max-age=60, stale-while-revalidate=300, stale-if-error=30", 60, 360, 360),
                arguments(200, "Cache-Control: max-age=60, stale-if-error=86400", 60, 60, 660),
                arguments(200, "Cache-Control: max-age=0, stale-while-revalidate=30", 0, 30, 30),
                arguments(200, "Cache-Control: s-maxage=60, stale-while-revalidate=30", 60, 90, 90),
                arguments(200, "Cache-Control: max-age=60, must-revalidate, stale-while-revalidate=30, stale-if-error=30", 60, 60, 60),
                arguments(200, "Cache-Control: max-age=60, proxy-revalidate, stale-if-error=30", 60, 60, 60),
                arguments(200, "Cache-Control: max-age=60 | Expires: " + date(3600), 60, 60, 60),
                arguments(200, "Expires: " + date(120) + " | Date: " + date(0), 120, 120, 120),
                arguments(200, "Expires: " + date(120) + " | Date: " + date(-1000), 1120, 1120, 1120),
                arguments(200, "Expires: " + date(120), 120, 120, 120),
                arguments(200, "Expires: " + date(120) + " | Date: " + date(0) + " | Age: 20", 100, 100, 100),
                arguments(200, "Expires: " + date(120) + " | Date: not a date", 120, 120, 120),
                arguments(200, "", 30, 30, 30),
                arguments(200, "Cache-Control: public", 30, 30, 30),
                arguments(200, "Content-Length: 1000", 30, 30, 30),
                arguments(203, "Cache-Control: max-age=60", 60, 60, 60),
                arguments(204, "Cache-Control: max-age=60", 60, 60, 60),
                arguments(300, "Cache-Control: max-age=60", 60, 60, 60),
                arguments(301, "Cache-Control: max-age=60", 60, 60, 60),
                arguments(404, "Cache-Control: max-age=60", 60, 60, 60),
                arguments(410, "", 30, 30, 30));
    }

    @ParameterizedTest(name = "{0} [{1}] -> fresh {2}s, revalidate {3}s, stale {4}s")
    @MethodSource("stored")
    void storesWithTheLifetimesTheResponseGrants(int status, String response, long fresh, long revalidate, long stale) {
        Storable storable = (Storable) decide("GET", status, "", response);

        assertThat(List.of(storable.expiresAtMillis(), storable.revalidateUntilMillis(), storable.staleUntilMillis()))
                .containsExactly(NOW + fresh * 1000, NOW + revalidate * 1000, NOW + stale * 1000);
    }

    static Stream<Arguments> authorized() {
        return Stream.of(
                arguments("Cache-Control: public, max-age=60", false),
                arguments("Cache-Control: s-maxage=60", false),
                arguments("Cache-Control: must-revalidate, max-age=60", false),
                arguments("Cache-Control: max-age=60", true),
                arguments("", true));
    }

    @ParameterizedTest(name = "[{0}] per consumer {1}")
    @MethodSource("authorized")
    void storesResponsesToAuthorizedRequestsOnlyWhenExplicitlySharedOrKeyedPerConsumer(String response, boolean perConsumer) {
        CachePolicy perConsumerPolicy = CachePolicy.of(CacheRules.builder().keyPerConsumer(perConsumer).build());

        assertThat(perConsumerPolicy.decide("GET", 200, TestHeaders.parse("Authorization: Basic eDp5"),
                TestHeaders.parse(response), NOW)).isInstanceOf(Storable.class);
    }

    @Test
    void storesHeadResponsesToo() {
        assertThat(decide("HEAD", 200, "", "Cache-Control: max-age=60")).isInstanceOf(Storable.class);
    }

    @Test
    void dropsStaleServingWhenTheRouteAllowsNone() {
        CachePolicy strict = CachePolicy.of(CacheRules.builder().maxStale(Duration.ZERO).build());

        Storable storable = (Storable) strict.decide("GET", 200, Headers.empty(),
                TestHeaders.parse("Cache-Control: max-age=60, stale-while-revalidate=30, stale-if-error=60"), NOW);

        assertThat(storable.staleUntilMillis()).isEqualTo(storable.expiresAtMillis()).isEqualTo(NOW + 60_000);
    }

    @Test
    void storesNothingWithoutFreshnessWhenTheRouteHasNoDefaultTtl() {
        CachePolicy explicitOnly = CachePolicy.of(CacheRules.builder().defaultTtl(Duration.ZERO).build());

        assertThat(explicitOnly.decide("GET", 200, Headers.empty(), Headers.empty(), NOW))
                .isEqualTo(new NotStorable(Reason.NO_FRESHNESS));
    }

    @Test
    void backdatesTheStoredTimeByTheUpstreamAgeSoTheAgeHeaderKeepsCounting() {
        Storable storable = (Storable) decide("GET", 200, "", "Cache-Control: max-age=60 | Age: 15");

        assertThat(storable.generatedAtMillis()).isEqualTo(NOW - 15_000);
        assertThat(Freshness.ageSeconds(storable.generatedAtMillis(), NOW + 5_000)).isEqualTo(20);
    }

    @Test
    void saysWhetherTheBodySizeIsKnownFromContentLength() {
        assertThat(((Storable) decide("GET", 200, "", "Content-Length: 12")).sizeKnown()).isTrue();
        assertThat(((Storable) decide("GET", 200, "", "Transfer-Encoding: chunked")).sizeKnown()).isFalse();
    }

    @Test
    void carriesTheResponsesTags() {
        Storable storable = (Storable) decide("GET", 200, "", "Surrogate-Key: a b | Cache-Tag: c");

        assertThat(storable.tags()).isEqualTo(Set.of("a", "b", "c"));
    }

    @Test
    void reasonsReadAsSnakeCaseDetails() {
        assertThat(Reason.VARY_STAR.detail()).isEqualTo("vary_star");
    }

    private Storability decide(String method, int status, String request, String response) {
        return policy.decide(method, status, TestHeaders.parse(request), TestHeaders.parse(response), NOW);
    }
}
