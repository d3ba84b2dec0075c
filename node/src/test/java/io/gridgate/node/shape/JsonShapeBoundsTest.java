package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.gridgate.node.shape.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Work and stack depth stay bounded whatever the document: it comes from an upstream, not from us. */
class JsonShapeBoundsTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int DEEP = 10_000;

    private static final JsonShape ITEMS = JsonShape.compile(ShapeRules.builder()
            .include("/id", "items[*].sku", "items[*].qty", "items[*].product")
            .exclude("/items/*/product/tags")
            .defaultValue("/items/*/currency", json("'EUR'"))
            .rename("/items/*/sku", "/items/*/id")
            .flatten("/items/*/product")
            .build());

    /** {@code {"a": {"a": ... {"leaf": true} ...}}}, built without recursion. */
    private static ObjectNode nestedObjects(int depth) {
        ObjectNode root = NODES.objectNode();
        ObjectNode at = root;
        for (int i = 0; i < depth; i++) {
            at = at.putObject("a");
        }
        at.put("leaf", true);
        return root;
    }

    private static int depthOf(JsonNode node, String member) {
        int depth = 0;
        while (node.get(member) != null && node.get(member).isObject()) {
            node = node.get(member);
            depth++;
        }
        return depth;
    }

    @Test
    void copiesADocumentNestedTenThousandDeepWithoutOverflowingTheStack() {
        ObjectNode deep = nestedObjects(DEEP);

        JsonNode copy = JsonShape.compile(ShapeRules.EMPTY).apply(deep);

        assertThat(depthOf(copy, "a")).isEqualTo(DEEP);
        assertThat(copy.get("a") != deep.get("a")).as("the copy is a new tree").isTrue();
    }

    @Test
    void appliesEveryRuleToADocumentNestedTenThousandDeep() {
        ObjectNode deep = nestedObjects(DEEP);
        JsonShape shape = JsonShape.compile(ShapeRules.builder()
                .include("/a/a")
                .exclude("/a/a/a/b")
                .defaultValue("/a/x", json("1"))
                .rename("/a/a/a", "/b")
                .flatten("/a")
                .build());

        JsonNode shaped = shape.apply(deep);

        assertThat(shaped.get("x").asInt()).isEqualTo(1);
        assertThat(depthOf(shaped, "b")).isEqualTo(1);
        assertThat(depthOf(shaped.get("b"), "a")).isEqualTo(DEEP - 3);
        assertThat(depthOf(deep, "a")).isEqualTo(DEEP);
    }

    @Test
    void copiesArraysNestedTenThousandDeep() {
        ArrayNode root = NODES.arrayNode();
        ArrayNode at = root;
        for (int i = 0; i < DEEP; i++) {
            at = at.addArray();
        }

        JsonNode copy = JsonShape.compile(ShapeRules.builder().exclude("/0/0/0").build()).apply(root);

        int depth = 0;
        for (JsonNode node = copy; node.size() > 0; node = node.get(0)) {
            depth++;
        }
        assertThat(depth).as("arrays left above the removed one").isEqualTo(2);
    }

    private static ObjectNode order(int items) {
        ObjectNode order = NODES.objectNode().put("id", 1);
        ArrayNode list = order.putArray("items");
        for (int i = 0; i < items; i++) {
            ObjectNode item = list.addObject().put("sku", "S" + i).put("qty", i).put("internal", "x");
            item.putObject("product").put("name", "n" + i).putArray("tags").add("a").add("b");
        }
        return order;
    }

    private static long visits(int items) {
        Visits visits = new Visits();
        JsonNode shaped = ITEMS.apply(order(items), visits);
        assertThat(shaped.get("items")).hasSize(items);
        assertThat(shaped.get("items").get(items - 1)).isEqualTo(json(
                "{'qty': " + (items - 1) + ", 'name': 'n" + (items - 1) + "', 'currency': 'EUR', 'id': 'S" + (items - 1) + "'}"));
        return visits.count();
    }

    @Test
    void visitsEachNodeOfAThousandItemOrderAConstantNumberOfTimes() {
        long thousand = visits(1_000);
        long twoThousand = visits(2_000);

        assertThat(thousand).isLessThan(50L * 1_000);
        assertThat(twoThousand).isLessThanOrEqualTo(2 * thousand);
    }

    @Test
    void excludesManyElementsOfALongArrayInOnePass() {
        ArrayNode items = NODES.arrayNode();
        for (int i = 0; i < 1_000; i++) {
            items.add(i);
        }
        ShapeRules.Builder rules = ShapeRules.builder();
        for (int i = 0; i < 1_000; i += 4) {
            rules.exclude("/" + i);
        }
        Visits visits = new Visits();

        JsonNode shaped = JsonShape.compile(rules.build()).apply(items, visits);

        assertThat(shaped).hasSize(750);
        assertThat(shaped.get(0).asInt()).isEqualTo(1);
        assertThat(visits.count()).isLessThan(5_000);
    }
}
