package io.gridgate.node.security;

import io.gridgate.node.config.CorsConfig;
import io.gridgate.node.pipeline.CorsPolicy;
import io.gridgate.node.pipeline.CorsPolicy.PreflightAnswer;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CORS decision and the headers it writes, without HTTP. */
class CorsPolicyTest {

    private static final String APP = "https://app.example.com";

    private static CorsPolicy policy(List<String> origins, boolean credentials) {
        return CorsPolicy.of(new CorsConfig(origins, List.of("GET", "POST"), List.of("Authorization", "Content-Type"),
                List.of("X-Request-Id"), credentials, Duration.ofMinutes(10)));
    }

    private static final CorsPolicy EXACT_AND_PATTERN = policy(List.of(APP, "https://*.example.org"), true);
    private static final CorsPolicy ANY = policy(List.of("*"), false);

    private static List<String> values(HeaderMap headers, String name) {
        return headers.get(name) == null ? List.of() : List.copyOf(headers.get(name));
    }

    @Test
    void anExactOriginIsAllowedAndNoOtherIs() {
        assertThat(EXACT_AND_PATTERN.allowsOrigin(APP)).isTrue();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://APP.example.com")).as("hosts ignore case").isTrue();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("http://app.example.com")).as("another scheme").isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://app.example.com:8443")).as("another port").isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://app.example.com.evil.test")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("null")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin(null)).isFalse();
    }

    @Test
    void aWildcardPatternAdmitsWholeSubdomainLabelsButNotTheApexOrLookalikes() {
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://shop.example.org")).isTrue();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://eu.shop.example.org")).isTrue();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://example.org")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://evilexample.org")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://.example.org")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://a..example.org")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://evil.test/.example.org")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://evil.test:1.example.org")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("http://shop.example.org")).isFalse();
        assertThat(EXACT_AND_PATTERN.allowsOrigin("https://shop.example.org:8443")).isFalse();
    }

    @Test
    void aPreflightMustNameAnAllowedOriginMethodAndHeaders() {
        assertThat(EXACT_AND_PATTERN.preflight(APP, "POST", "authorization, CONTENT-TYPE")).isEqualTo(
                new PreflightAnswer(true, null));
        assertThat(EXACT_AND_PATTERN.preflight(APP, "GET", null).allowed()).isTrue();
        assertThat(EXACT_AND_PATTERN.preflight(APP, "GET", " , ").allowed()).isTrue();

        assertThat(EXACT_AND_PATTERN.preflight("https://evil.test", "GET", null)).isEqualTo(
                new PreflightAnswer(false, "CORS preflight refused: the origin is not allowed on this route"));
        assertThat(EXACT_AND_PATTERN.preflight(APP, "DELETE", null)).isEqualTo(
                new PreflightAnswer(false, "CORS preflight refused: the method is not allowed (allowed: GET, POST)"));
        assertThat(EXACT_AND_PATTERN.preflight(APP, "post", null).allowed()).as("methods are case-sensitive").isFalse();
        assertThat(EXACT_AND_PATTERN.preflight(APP, "GET", "authorization,x-debug")).isEqualTo(
                new PreflightAnswer(false, "CORS preflight refused: a requested header is not allowed "
                        + "(allowed: Authorization, Content-Type)"));
    }

    @Test
    void anAllowedPreflightGetsTheEchoedOriginCredentialsMethodsHeadersAndMaxAge() {
        HeaderMap response = new HeaderMap();

        EXACT_AND_PATTERN.writePreflight(APP, response);

        assertThat(response.getFirst("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(response.getFirst("Access-Control-Allow-Credentials")).isEqualTo("true");
        assertThat(response.getFirst("Access-Control-Allow-Methods")).isEqualTo("GET, POST");
        assertThat(response.getFirst("Access-Control-Allow-Headers")).isEqualTo("Authorization, Content-Type");
        assertThat(response.getFirst("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(values(response, "Vary")).containsExactly("Origin");
    }

    @Test
    void anActualResponseLosesTheUpstreamsCorsHeadersAndGetsThePolicys() {
        HeaderMap response = new HeaderMap();
        response.put(new HttpString("Access-Control-Allow-Origin"), "*");
        response.put(new HttpString("access-control-allow-methods"), "DELETE");
        response.put(new HttpString("Access-Control-Something-New"), "x");
        response.put(new HttpString("Vary"), "Accept-Encoding");
        response.put(new HttpString("X-Request-Id"), "r-1");

        EXACT_AND_PATTERN.applyTo(response, "https://shop.example.org");

        assertThat(response.getHeaderNames()).extracting(HttpString::toString).containsExactlyInAnyOrder(
                "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Access-Control-Expose-Headers",
                "Vary", "X-Request-Id");
        assertThat(response.getFirst("Access-Control-Allow-Origin")).isEqualTo("https://shop.example.org");
        assertThat(response.getFirst("Access-Control-Expose-Headers")).isEqualTo("X-Request-Id");
        assertThat(values(response, "Vary")).containsExactly("Accept-Encoding", "Origin");
    }

    @Test
    void aDisallowedOriginGetsNoCorsHeadersButTheResponseStillVariesOnOrigin() {
        HeaderMap response = new HeaderMap();
        response.put(new HttpString("Access-Control-Allow-Origin"), "https://evil.test");
        response.put(new HttpString("Vary"), "accept-encoding, origin");

        EXACT_AND_PATTERN.applyTo(response, "https://evil.test");

        assertThat(response.getHeaderNames()).extracting(HttpString::toString).containsExactly("Vary");
        assertThat(values(response, "Vary")).as("already varies on Origin").containsExactly("accept-encoding, origin");
    }

    @Test
    void anyOriginAnswersWithAStarOnEveryResponseAndNeverVaries() {
        HeaderMap withOrigin = new HeaderMap();
        HeaderMap withoutOrigin = new HeaderMap();
        HeaderMap preflight = new HeaderMap();

        ANY.applyTo(withOrigin, "https://anyone.test");
        ANY.applyTo(withoutOrigin, null);
        ANY.writePreflight("https://anyone.test", preflight);

        for (HeaderMap response : List.of(withOrigin, withoutOrigin, preflight)) {
            assertThat(response.getFirst("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(response.contains("Access-Control-Allow-Credentials")).isFalse();
            assertThat(response.contains("Vary")).isFalse();
        }
    }
}
