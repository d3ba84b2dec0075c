package io.gridgate.node.routing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTableTest {

    private static RouteMatch found(RouteTable table, RequestView request) {
        RouteLookup lookup = table.match(request);
        assertThat(lookup).isInstanceOf(RouteLookup.Found.class);
        return ((RouteLookup.Found) lookup).match();
    }

    private static String routeOf(RouteTable table, RequestView request) {
        RouteLookup lookup = table.match(request);
        return lookup instanceof RouteLookup.Found f ? f.match().route().id() : lookup.getClass().getSimpleName();
    }

    @Test
    void exactPathBeatsTemplateBeatsPrefixWhateverTheDeclarationOrder() {
        RouteTable table = TestRoutes.table("""
                - {id: prefix, match: {pathPrefix: /users}, upstream: "http://p"}
                - {id: template, match: {path: "/users/{id}"}, upstream: "http://t"}
                - {id: exact, match: {path: /users/me}, upstream: "http://e"}
                """);

        assertThat(routeOf(table, FakeRequest.get("/users/me"))).isEqualTo("exact");
        assertThat(routeOf(table, FakeRequest.get("/users/42"))).isEqualTo("template");
        assertThat(routeOf(table, FakeRequest.get("/users/42/orders"))).isEqualTo("prefix");
        assertThat(routeOf(table, FakeRequest.get("/users"))).isEqualTo("prefix");
    }

    @Test
    void longerPrefixWinsAndPrefixesMatchWholeSegmentsOnly() {
        RouteTable table = TestRoutes.table("""
                - {id: api, match: {pathPrefix: /api}, upstream: "http://a"}
                - {id: api-admin, match: {pathPrefix: /api/admin}, upstream: "http://b"}
                """);

        assertThat(routeOf(table, FakeRequest.get("/api/admin/users"))).isEqualTo("api-admin");
        assertThat(routeOf(table, FakeRequest.get("/api/administrators"))).isEqualTo("api");
        assertThat(routeOf(table, FakeRequest.get("/apix"))).isEqualTo("NotFound");
    }

    @Test
    void exactHostBeatsWildcardHostBeatsAnyHost() {
        RouteTable table = TestRoutes.table("""
                - {id: any, match: {pathPrefix: /}, upstream: "http://any"}
                - {id: wildcard, match: {hosts: ["*.example.com"]}, upstream: "http://w"}
                - {id: exact, match: {hosts: [api.example.com]}, upstream: "http://e"}
                """);

        assertThat(routeOf(table, FakeRequest.get("/").host("api.example.com"))).isEqualTo("exact");
        assertThat(routeOf(table, FakeRequest.get("/").host("shop.example.com"))).isEqualTo("wildcard");
        assertThat(routeOf(table, FakeRequest.get("/").host("a.b.example.com"))).isEqualTo("wildcard");
        assertThat(routeOf(table, FakeRequest.get("/").host("example.com"))).isEqualTo("any");
    }

    @Test
    void declarationOrderBreaksTiesBetweenEquallySpecificRoutes() {
        RouteTable table = TestRoutes.table("""
                - {id: first, match: {pathPrefix: /same}, upstream: "http://1"}
                - {id: second, match: {pathPrefix: /same}, upstream: "http://2"}
                """);

        assertThat(routeOf(table, FakeRequest.get("/same/x"))).isEqualTo("first");
    }

    @Test
    void headerAndQueryPredicatesNarrowAMatchAndOutrankRoutesWithout() {
        RouteTable table = TestRoutes.table("""
                - id: stable
                  match: {pathPrefix: /app}
                  upstream: "http://stable"
                - id: canary
                  match:
                    pathPrefix: /app
                    headers: [{name: X-Env, equals: canary}]
                  upstream: "http://canary"
                - id: mobile-debug
                  match:
                    pathPrefix: /app
                    headers: [{name: User-Agent, regex: ".*Mobile.*"}]
                    query: [{name: debug, present: true}]
                  upstream: "http://debug"
                """);

        assertThat(routeOf(table, FakeRequest.get("/app").header("X-Env", "canary"))).isEqualTo("canary");
        assertThat(routeOf(table, FakeRequest.get("/app").header("X-Env", "prod"))).isEqualTo("stable");
        assertThat(routeOf(table, FakeRequest.get("/app").header("User-Agent", "Foo Mobile 1").query("debug", "")))
                .isEqualTo("mobile-debug");
        assertThat(routeOf(table, FakeRequest.get("/app").header("User-Agent", "Foo Mobile 1"))).isEqualTo("stable");
    }

    @Test
    void aPathMatchedOnlyByOtherMethodsIsMethodNotAllowedWithTheirUnion() {
        RouteTable table = TestRoutes.table("""
                - {id: read, match: {path: /items, methods: [GET, HEAD]}, upstream: "http://r"}
                - {id: write, match: {path: /items, methods: [POST]}, upstream: "http://w"}
                """);

        assertThat(table.match(FakeRequest.request("DELETE", "/items")))
                .isEqualTo(new RouteLookup.MethodNotAllowed("GET, HEAD, POST"));
        assertThat(routeOf(table, FakeRequest.request("POST", "/items"))).isEqualTo("write");
    }

    @Test
    void rewritesWithTemplateVariablesAndPrependsTheUpstreamBasePath() {
        RouteTable table = TestRoutes.table("""
                - id: users
                  match: {path: "/users/{id}/orders/{order}"}
                  rewrite: {path: "/v1/users/{id}/orders/{order}"}
                  upstream: "http://orders/base"
                """);

        assertThat(found(table, FakeRequest.get("/users/7/orders/99")).upstreamPath())
                .isEqualTo("/base/v1/users/7/orders/99");
    }

    @Test
    void stripsAPrefixBeforeAppendingToTheBasePath() {
        RouteTable table = TestRoutes.table("""
                - id: api
                  match: {pathPrefix: /api}
                  rewrite: {stripPrefix: /api}
                  upstream: "http://svc/internal/"
                - id: root
                  match: {pathPrefix: /plain}
                  rewrite: {stripPrefix: /plain}
                  upstream: "http://svc"
                """);

        assertThat(found(table, FakeRequest.get("/api/items/3")).upstreamPath()).isEqualTo("/internal/items/3");
        assertThat(found(table, FakeRequest.get("/api")).upstreamPath()).isEqualTo("/internal/");
        assertThat(found(table, FakeRequest.get("/plain")).upstreamPath()).isEqualTo("/");
    }

    @Test
    void templatesNeedEveryLiteralSegmentAndNonEmptyVariables() {
        RouteTable table = TestRoutes.table("""
                - {id: t, match: {path: "/a/{x}/c"}, upstream: "http://t"}
                """);

        assertThat(routeOf(table, FakeRequest.get("/a/b/c"))).isEqualTo("t");
        assertThat(routeOf(table, FakeRequest.get("/a//c"))).isEqualTo("NotFound");
        assertThat(routeOf(table, FakeRequest.get("/a/b/c/d"))).isEqualTo("NotFound");
        assertThat(routeOf(table, FakeRequest.get("/a/b"))).isEqualTo("NotFound");
        assertThat(routeOf(table, FakeRequest.get("/a/b/cc"))).isEqualTo("NotFound");
    }
}
