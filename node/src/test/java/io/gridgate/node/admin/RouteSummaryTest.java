package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RouteSummaryTest {

    private static RouteConfig route(String yaml) {
        return TestGateway.config("""
                server: {bindAddress: 127.0.0.1, port: 0}
                admin: {bindAddress: 127.0.0.1, port: 0}
                routes:
                """ + yaml.stripIndent().indent(2)).routes().get(0);
    }

    private static String summary(RouteConfig route) {
        ObjectNode out = AdminExchanges.JSON.createObjectNode();
        RouteSummary.describe(route, out);
        return out.toString();
    }

    @Test
    void aPlainRouteShowsWhatItMatchesAndItsUpstream() {
        RouteConfig route = route("""
                - {id: files, match: {path: "/files/{name}", hosts: [cdn.example.com]}, upstream: "http://files:9000/base"}
                """);

        assertThat(summary(route)).isEqualTo("{\"id\":\"files\",\"methods\":[],\"hosts\":[\"cdn.example.com\"],"
                + "\"path\":\"/files/{name}\",\"upstream\":\"http://files:9000/base\",\"services\":[]}");
    }

    @Test
    void aVersionedRouteListsEachVersionsUpstreamAndTheServicesAmongThem() {
        RouteConfig route = route("""
                - id: users
                  match: {pathPrefix: /users, methods: [GET, POST]}
                  versions:
                    targets:
                      "2": "service:users-v2"
                      "1": "service:users"
                      "3": "http://users-v3:9000"
                """);

        assertThat(summary(route)).isEqualTo("{\"id\":\"users\",\"methods\":[\"GET\",\"POST\"],\"hosts\":[],"
                + "\"pathPrefix\":\"/users\",\"versions\":{\"1\":\"service:users\",\"2\":\"service:users-v2\","
                + "\"3\":\"http://users-v3:9000\"},\"services\":[\"users\",\"users-v2\"]}");
        assertThat(RouteSummary.services(route)).isEqualTo(List.of("users", "users-v2"));
    }

    @Test
    void aCompositeRouteListsEachCallsUpstreamAndTheServicesAmongThem() {
        RouteConfig route = route("""
                - id: order-view
                  match: {path: "/views/orders/{id}"}
                  compose:
                    calls:
                      - {id: order, upstream: "service:orders", path: "/orders/{path.id}"}
                      - {id: customer, upstream: "service:customers", path: "/customers/{order.customerId}"}
                      - {id: rates, upstream: "http://rates:9000", path: /rates}
                """);

        assertThat(summary(route)).isEqualTo("{\"id\":\"order-view\",\"methods\":[],\"hosts\":[],"
                + "\"path\":\"/views/orders/{id}\",\"calls\":{\"order\":\"service:orders\","
                + "\"customer\":\"service:customers\",\"rates\":\"http://rates:9000\"},"
                + "\"services\":[\"orders\",\"customers\"]}");
    }
}
