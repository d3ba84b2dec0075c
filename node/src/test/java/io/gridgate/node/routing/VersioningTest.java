package io.gridgate.node.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VersioningTest {

    private static final String USERS = """
            - id: users
              match: {pathPrefix: /users}
              versions:
                default: "1"
                targets:
                  "1": http://v1.internal
                  "2":
                    upstream: http://v2.internal/api
                    deprecation: {sunset: "2027-06-30T00:00:00Z", link: "https://example.com/v3"}
                  "3": http://v3.internal
            """;

    private static RouteMatch found(RequestView request) {
        RouteLookup lookup = TestRoutes.table(USERS).match(request);
        assertThat(lookup).isInstanceOf(RouteLookup.Found.class);
        return ((RouteLookup.Found) lookup).match();
    }

    @Test
    void aLeadingVersionSegmentPicksTheUpstreamAndIsRemoved() {
        RouteMatch match = found(FakeRequest.get("/v2/users/5"));

        assertThat(match.version()).isEqualTo("2");
        assertThat(match.target().upstream().name()).isEqualTo("v2.internal");
        assertThat(match.upstreamPath()).isEqualTo("/api/users/5");
    }

    @Test
    void acceptVersionAndApiVersionHeadersPickTheUpstream() {
        assertThat(found(FakeRequest.get("/users").header("Accept-Version", "3")).version()).isEqualTo("3");
        assertThat(found(FakeRequest.get("/users").header("API-Version", "v2")).version()).isEqualTo("2");
    }

    @Test
    void aVendorMediaTypePicksTheUpstream() {
        RouteMatch match = found(FakeRequest.get("/users")
                .header("Accept", "text/html;q=0.5, application/vnd.gridgate.v3+json"));

        assertThat(match.version()).isEqualTo("3");
        assertThat(match.target().upstream().name()).isEqualTo("v3.internal");
    }

    @Test
    void thePathOutranksTheHeaderInTheDefaultSourceOrder() {
        assertThat(found(FakeRequest.get("/v3/users").header("Accept-Version", "2")).version()).isEqualTo("3");
    }

    @Test
    void aRequestNamingNoVersionGetsTheDefault() {
        RouteMatch match = found(FakeRequest.get("/users/5"));

        assertThat(match.version()).isEqualTo("1");
        assertThat(match.upstreamPath()).isEqualTo("/users/5");
    }

    @Test
    void anUnservedVersionIsReportedWithTheVersionsThatExist() {
        assertThat(TestRoutes.table(USERS).match(FakeRequest.get("/v9/users")))
                .isEqualTo(new RouteLookup.UnknownVersion("users", "9", "1, 2, 3"));
    }

    @Test
    void withoutADefaultARequestMustNameAVersion() {
        RouteTable table = TestRoutes.table("""
                - id: strict
                  match: {pathPrefix: /orders}
                  versions:
                    from: [header]
                    targets: {"1": "http://v1"}
                """);

        assertThat(table.match(FakeRequest.get("/orders")))
                .isEqualTo(new RouteLookup.UnknownVersion("strict", null, "1"));
        assertThat(table.match(FakeRequest.get("/v1/orders"))).isEqualTo(RouteLookup.NOT_FOUND);
    }

    @Test
    void aDeprecatedVersionCarriesItsHeaders() {
        Deprecation deprecation = found(FakeRequest.get("/v2/users")).target().deprecation().orElseThrow();

        assertThat(deprecation.deprecation()).isEqualTo("true");
        assertThat(deprecation.sunset()).hasValue("Wed, 30 Jun 2027 00:00:00 GMT");
        assertThat(deprecation.link()).hasValue("<https://example.com/v3>; rel=\"deprecation\"");
        assertThat(found(FakeRequest.get("/v1/users")).target().deprecation()).isEmpty();
    }

    @Test
    void onlyAWholeLeadingVersionSegmentCounts() {
        assertThat(Versioning.pathVersion("/v2/users")).isEqualTo("2");
        assertThat(Versioning.pathVersion("/V10.1")).isEqualTo("10.1");
        assertThat(Versioning.pathVersion("/v2x/users")).isNull();
        assertThat(Versioning.pathVersion("/v/users")).isNull();
        assertThat(Versioning.pathVersion("/v2./users")).isNull();
        assertThat(Versioning.pathVersion("/videos")).isNull();
        assertThat(Versioning.pathVersion("/users/v2")).isNull();
    }
}
