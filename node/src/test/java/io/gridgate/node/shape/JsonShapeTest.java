package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.gridgate.node.shape.Json.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Every rule, alone and together; outputs are compared as text, so member order counts. */
class JsonShapeTest {

    private static final String ORDER = """
            {'id': 7, 'customer': {'name': 'Ada', 'email': 'ada@example.com'},
             'items': [{'sku': 'A1', 'qty': 2, 'internal': 'x'}, {'sku': 'B2', 'internal': 'y'}, {'qty': 1}]}""";

    /** One row of a table: rules, a document, and the document shaped. */
    record Case(String name, ShapeRules.Builder rules, String input, String expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static Case shape(String name, ShapeRules.Builder rules, String input, String expected) {
        return new Case(name, rules, input, expected);
    }

    private static ShapeRules.Builder rules() {
        return ShapeRules.builder();
    }

    private static JsonNode apply(ShapeRules.Builder rules, String input) {
        return JsonShape.compile(rules.build()).apply(json(input));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"include", "exclude", "defaults", "rename", "flatten", "topLevel", "order"})
    void shapes(Case row) {
        assertThat(apply(row.rules(), row.input())).hasToString(json(row.expected()).toString());
    }

    static Stream<Case> include() {
        return Stream.of(
                shape("include keeps a member and the objects on its way", rules().include("/customer/name"),
                        ORDER, "{'customer': {'name': 'Ada'}}"),
                shape("include reads the dotted syntax", rules().include("customer.name"),
                        ORDER, "{'customer': {'name': 'Ada'}}"),
                shape("include with * keeps every element of an array, in order", rules().include("items[*].sku"),
                        ORDER, "{'items': [{'sku': 'A1'}, {'sku': 'B2'}, {}]}"),
                shape("include with * walks every member of an object", rules().include("/prices/*/amount"),
                        "{'prices': {'eur': {'amount': 1, 'fx': 1.0}, 'usd': {'amount': 2, 'fx': 1.1}}, 'x': 1}",
                        "{'prices': {'eur': {'amount': 1}, 'usd': {'amount': 2}}}"),
                shape("include leaves out paths that do not exist",
                        rules().include("/id", "/nope", "/customer/phone", "/items/9"),
                        ORDER, "{'id': 7, 'customer': {}, 'items': []}"),
                shape("include drops a scalar where its path goes on", rules().include("/customer/name"),
                        "{'customer': 'Ada'}", "{}"),
                shape("include keeps a null it reaches", rules().include("/customer"),
                        "{'customer': null, 'x': 1}", "{'customer': null}"),
                shape("include does not walk through a null", rules().include("/customer/name"),
                        "{'customer': null}", "{}"),
                shape("include by index keeps that element only", rules().include("/items/1"),
                        ORDER, "{'items': [{'sku': 'B2', 'internal': 'y'}]}"),
                shape("include merges overlapping paths", rules().include("/items/*/sku", "/items/0"),
                        ORDER, "{'items': [{'sku': 'A1', 'qty': 2, 'internal': 'x'}, {'sku': 'B2'}, {}]}"),
                shape("include keeps the document's order, not the rules'", rules().include("/items/*/qty", "/id"),
                        ORDER, "{'id': 7, 'items': [{'qty': 2}, {}, {'qty': 1}]}"),
                shape("include reads pointer escapes", rules().include("/a~1b/c~0d"),
                        "{'a/b': {'c~d': 1, 'e': 2}, 'a': {'b': {'c~d': 3}}}", "{'a/b': {'c~d': 1}}"),
                shape("include with a number matches an object member of that name",
                        rules().include("/codes/0"), "{'codes': {'0': 'zero', '1': 'one'}}", "{'codes': {'0': 'zero'}}"),
                shape("include of an object keeps all of it", rules().include("/customer"),
                        ORDER, "{'customer': {'name': 'Ada', 'email': 'ada@example.com'}}"),
                shape("no include keeps everything", rules(), ORDER, ORDER));
    }

    static Stream<Case> exclude() {
        return Stream.of(
                shape("exclude removes a member", rules().exclude("/customer/email", "/items"),
                        ORDER, "{'id': 7, 'customer': {'name': 'Ada'}}"),
                shape("exclude with * removes from every element", rules().exclude("items[*].internal"),
                        ORDER, "{'id': 7, 'customer': {'name': 'Ada', 'email': 'ada@example.com'},"
                                + " 'items': [{'sku': 'A1', 'qty': 2}, {'sku': 'B2'}, {'qty': 1}]}"),
                shape("exclude with * removes from every member", rules().exclude("/prices/*/fx"),
                        "{'prices': {'eur': {'amount': 1, 'fx': 1.0}, 'usd': {'amount': 2, 'fx': 1.1}}}",
                        "{'prices': {'eur': {'amount': 1}, 'usd': {'amount': 2}}}"),
                shape("exclude indexes refer to the array before any removal", rules().exclude("/items/0", "/items/2"),
                        "{'items': ['a', 'b', 'c', 'd']}", "{'items': ['b', 'd']}"),
                shape("exclude with a last * empties an array", rules().exclude("/items/*"),
                        "{'items': [1, 2], 'n': 2}", "{'items': [], 'n': 2}"),
                shape("exclude of a missing path changes nothing",
                        rules().exclude("/nope/deeper", "/customer/phone", "/id/x", "/items/5"), ORDER, ORDER),
                shape("exclude removes a null", rules().exclude("/a"), "{'a': null, 'b': 1}", "{'b': 1}"),
                shape("exclude takes away from what include kept",
                        rules().include("/customer").exclude("/customer/email"),
                        ORDER, "{'customer': {'name': 'Ada'}}"));
    }

    static Stream<Case> defaults() {
        return Stream.of(
                shape("a default fills a missing member", rules().defaultValue("/currency", TextNode.valueOf("EUR")),
                        "{'total': 3}", "{'total': 3, 'currency': 'EUR'}"),
                shape("a default replaces a null", rules().defaultValue("currency", TextNode.valueOf("EUR")),
                        "{'currency': null, 'total': 3}", "{'currency': 'EUR', 'total': 3}"),
                shape("a default keeps a present value, even false, 0 or empty",
                        rules().defaultValue("/a", json("true")).defaultValue("/b", json("1"))
                                .defaultValue("/c", json("'x'")).defaultValue("/d", json("{'x': 1}")),
                        "{'a': false, 'b': 0, 'c': '', 'd': {}}", "{'a': false, 'b': 0, 'c': '', 'd': {}}"),
                shape("a default creates the objects on its way", rules().defaultValue("/meta/version", json("1")),
                        "{'id': 1}", "{'id': 1, 'meta': {'version': 1}}"),
                shape("a default replaces a null on its way with an object",
                        rules().defaultValue("/meta/version", json("1")), "{'meta': null}", "{'meta': {'version': 1}}"),
                shape("a default with * fills every element that is an object",
                        rules().defaultValue("/items/*/qty", json("1")),
                        "{'items': [{'qty': 2}, {}, {'qty': null}, 'x', null]}",
                        "{'items': [{'qty': 2}, {'qty': 1}, {'qty': 1}, 'x', null]}"),
                shape("a default with * fills every member that is an object",
                        rules().defaultValue("/prices/*/currency", json("'EUR'")),
                        "{'prices': {'net': {'amount': 1}, 'gross': {'amount': 2, 'currency': 'USD'}}}",
                        "{'prices': {'net': {'amount': 1, 'currency': 'EUR'}, 'gross': {'amount': 2, 'currency': 'USD'}}}"),
                shape("a default with * creates nothing before the wildcard",
                        rules().defaultValue("/items/*/qty", json("1")), "{'id': 1}", "{'id': 1}"),
                shape("a default with * creates objects after the wildcard",
                        rules().defaultValue("items[*].meta.source", json("'shop'")),
                        "{'items': [{}, {'meta': {'source': 'app'}}]}",
                        "{'items': [{'meta': {'source': 'shop'}}, {'meta': {'source': 'app'}}]}"),
                shape("a default does not replace a scalar on its way",
                        rules().defaultValue("/customer/tier", json("'basic'")), "{'customer': 'Ada'}", "{'customer': 'Ada'}"),
                shape("a default goes through an array index but adds no element",
                        rules().defaultValue("/items/0/qty", json("1")).defaultValue("/items/3/qty", json("1"))
                                .defaultValue("/rows/0/qty", json("1")),
                        "{'items': [{}], 'rows': [null]}", "{'items': [{'qty': 1}], 'rows': [null]}"),
                shape("a default never sets an array element", rules().defaultValue("/items/0", json("'x'")),
                        "{'items': [null]}", "{'items': [null]}"),
                shape("a default of an object is copied into each place",
                        rules().defaultValue("/items/*/flags", json("{'new': true}")),
                        "{'items': [{}, {}]}", "{'items': [{'flags': {'new': true}}, {'flags': {'new': true}}]}"));
    }

    static Stream<Case> rename() {
        return Stream.of(
                shape("rename moves a member", rules().rename("/customer/name", "/customerName"),
                        ORDER.replace("'items'", "'z'"),
                        "{'id': 7, 'customer': {'email': 'ada@example.com'}, 'z': [{'sku': 'A1', 'qty': 2, 'internal': 'x'},"
                                + " {'sku': 'B2', 'internal': 'y'}, {'qty': 1}], 'customerName': 'Ada'}"),
                shape("rename reads the dotted syntax", rules().rename("customer.name", "customerName"),
                        "{'customer': {'name': 'Ada', 'id': 1}}", "{'customer': {'id': 1}, 'customerName': 'Ada'}"),
                shape("rename of a missing member changes nothing",
                        rules().rename("/nope", "/x").rename("/id/x", "/y").rename("/items/7/sku", "/sku"), ORDER, ORDER),
                shape("rename moves a null", rules().rename("/a", "/b/c"), "{'a': null}", "{'b': {'c': null}}"),
                shape("rename within an object keeps the member's place", rules().rename("/b", "/renamed"),
                        "{'a': 1, 'b': 2, 'c': 3}", "{'a': 1, 'renamed': 2, 'c': 3}"),
                shape("rename with * renames in every element", rules().rename("/items/*/sku", "/items/*/id"),
                        "{'items': [{'sku': 'A1', 'qty': 2}, {'qty': 1}, 'x']}", "{'items': [{'id': 'A1', 'qty': 2}, {'qty': 1}, 'x']}"),
                shape("rename with * renames in every member", rules().rename("prices.*.amount", "prices.*.value"),
                        "{'prices': {'net': {'amount': 1}, 'gross': {'amount': 2}}}",
                        "{'prices': {'net': {'value': 1}, 'gross': {'value': 2}}}"),
                shape("rename with * can move deeper inside each element",
                        rules().rename("/items/*/sku", "/items/*/product/sku"),
                        "{'items': [{'sku': 'A1', 'qty': 2}]}", "{'items': [{'qty': 2, 'product': {'sku': 'A1'}}]}"),
                shape("rename replaces the target", rules().rename("/a", "/b"),
                        "{'a': 1, 'b': 2, 'c': 3}", "{'b': 1, 'c': 3}"),
                shape("rename replaces a target elsewhere", rules().rename("/x/a", "/b"),
                        "{'b': 2, 'x': {'a': 1, 'k': 0}}", "{'b': 1, 'x': {'k': 0}}"),
                shape("rename creates the objects on its way", rules().rename("/a", "/x/y"),
                        "{'a': 1, 'c': 2}", "{'c': 2, 'x': {'y': 1}}"),
                shape("rename leaves the member in its place when a scalar blocks the target",
                        rules().rename("/a", "/c/d").rename("/b", "/c/e").rename("/z", "/c/f"),
                        "{'a': 1, 'b': 2, 'c': 'text', 'z': 3}", "{'a': 1, 'b': 2, 'c': 'text', 'z': 3}"),
                shape("rename leaves the member in its place when the target is in an array",
                        rules().rename("/a", "/list/0"), "{'a': 1, 'list': [0]}", "{'a': 1, 'list': [0]}"),
                shape("rename can wrap a member in an object", rules().rename("/a", "/a/value"),
                        "{'a': 5, 'b': 1}", "{'b': 1, 'a': {'value': 5}}"),
                shape("rename can lift a member over its parent", rules().rename("/a/b", "/a"),
                        "{'a': {'b': 1, 'c': 2}}", "{'a': 1}"),
                shape("rename removes the objects it leaves empty", rules().rename("/totals/gross/amount", "/total"),
                        "{'id': 1, 'totals': {'gross': {'amount': 9}}}", "{'id': 1, 'total': 9}"),
                shape("rename keeps objects that still hold something", rules().rename("/totals/gross", "/total"),
                        "{'totals': {'gross': 9, 'net': 8}, 'empty': {}}", "{'totals': {'net': 8}, 'empty': {}, 'total': 9}"),
                shape("rename keeps the elements it leaves empty", rules().rename("/items/0/sku", "/firstSku"),
                        "{'items': [{'sku': 'A'}]}", "{'items': [{}], 'firstSku': 'A'}"),
                shape("rename with * removes the objects it leaves empty in each element", rules().rename("/items/*/a/b", "/items/*/b"),
                        "{'items': [{'a': {'b': 1}}]}", "{'items': [{'b': 1}]}"),
                shape("renames run in their order", rules().rename("/a", "/b").rename("/b", "/c"),
                        "{'a': 1}", "{'c': 1}"),
                shape("a rename onto itself changes nothing", rules().rename("/a", "a"),
                        "{'a': 1, 'b': 2}", "{'a': 1, 'b': 2}"));
    }

    static Stream<Case> flatten() {
        return Stream.of(
                shape("flatten lifts members where the object stood", rules().flatten("/customer"),
                        "{'id': 7, 'customer': {'name': 'Ada', 'email': 'e'}, 'total': 3}",
                        "{'id': 7, 'name': 'Ada', 'email': 'e', 'total': 3}"),
                shape("flatten leaves taken names in the flattened object", rules().flatten("customer"),
                        "{'id': 7, 'customer': {'id': 42, 'name': 'Ada'}}", "{'id': 7, 'name': 'Ada', 'customer': {'id': 42}}"),
                shape("flatten counts the flattened object's own name as taken", rules().flatten("/customer"),
                        "{'customer': {'customer': 'x', 'a': 1}}", "{'a': 1, 'customer': {'customer': 'x'}}"),
                shape("flatten removes an empty object", rules().flatten("/meta"),
                        "{'a': 1, 'meta': {}, 'b': 2}", "{'a': 1, 'b': 2}"),
                shape("flatten of what is not an object changes nothing",
                        rules().flatten("/customer", "/items", "/nope", "/n"),
                        "{'customer': 'Ada', 'items': [{'a': 1}], 'n': null}", "{'customer': 'Ada', 'items': [{'a': 1}], 'n': null}"),
                shape("flatten with * lifts in every element", rules().flatten("items[*].product"),
                        "{'items': [{'qty': 1, 'product': {'sku': 'A', 'name': 'Pen'}}, {'qty': 2}, 3]}",
                        "{'items': [{'qty': 1, 'sku': 'A', 'name': 'Pen'}, {'qty': 2}, 3]}"),
                shape("flatten goes deeper inside objects", rules().flatten("/order/customer"),
                        "{'order': {'id': 1, 'customer': {'name': 'Ada'}}}", "{'order': {'id': 1, 'name': 'Ada'}}"),
                shape("flattens run in their order", rules().flatten("/a", "/b"),
                        "{'a': {'b': {'c': 1}}, 'd': 2}", "{'c': 1, 'd': 2}"));
    }

    static Stream<Case> topLevel() {
        return Stream.of(
                shape("a leading * reaches the elements of a top-level array", rules().include("[*].id"),
                        "[{'id': 1, 'x': 2}, {'id': 3}, 4]", "[{'id': 1}, {'id': 3}]"),
                shape("a name reaches nothing in a top-level array", rules().include("/id"), "[{'id': 1}]", "[]"),
                shape("exclude and rename work per element of a top-level array",
                        rules().exclude("/*/secret").rename("/*/sku", "/*/id"),
                        "[{'sku': 'A', 'secret': 1}, {'secret': 2}]", "[{'id': 'A'}, {}]"),
                shape("a string document comes back as it was", rules().include("/a").defaultValue("/b", json("1")),
                        "'text'", "'text'"),
                shape("a null document comes back as it was", rules().include("/a").defaultValue("/b", json("1")),
                        "null", "null"),
                shape("a number document comes back as it was", rules().exclude("/a"), "42", "42"));
    }

    static Stream<Case> order() {
        return Stream.of(
                shape("defaults apply after include", rules().include("/id").defaultValue("/currency", json("'EUR'")),
                        ORDER, "{'id': 7, 'currency': 'EUR'}"),
                shape("exclude applies before defaults", rules().exclude("/currency").defaultValue("/currency", json("'EUR'")),
                        "{'currency': 'USD'}", "{'currency': 'EUR'}"),
                shape("defaults apply before rename, in upstream names",
                        rules().defaultValue("/items/*/sku", json("'n/a'")).rename("/items/*/sku", "/items/*/id"),
                        "{'items': [{}, {'sku': 'A'}]}", "{'items': [{'id': 'n/a'}, {'id': 'A'}]}"),
                shape("exclude applies before rename, in upstream names",
                        rules().exclude("/customer/email").rename("/customer/email", "/email"),
                        ORDER, "{'id': 7, 'customer': {'name': 'Ada'}, 'items': [{'sku': 'A1', 'qty': 2, 'internal': 'x'},"
                                + " {'sku': 'B2', 'internal': 'y'}, {'qty': 1}]}"),
                shape("rename resolves a clash before flatten",
                        rules().rename("/customer/id", "/customer/customerId").flatten("/customer"),
                        "{'id': 7, 'customer': {'id': 42, 'name': 'Ada'}}", "{'id': 7, 'customerId': 42, 'name': 'Ada'}"),
                shape("flatten sees renamed names",
                        rules().rename("/buyer", "/customer").flatten("/customer"),
                        "{'id': 7, 'buyer': {'name': 'Ada'}}", "{'id': 7, 'name': 'Ada'}"));
    }

    @Test
    void reducesAnOrderToTheSmallPayloadOfAMobileClient() {
        JsonNode order = json("""
                {'id': 'o-1001', 'number': 'ORD-2024-1001', 'status': 'SHIPPED', 'createdAt': '2024-05-01T10:00:00Z',
                 'currency': 'EUR',
                 'totals': {'gross': 59.97, 'net': 50.40, 'tax': 9.57},
                 'customer': {'id': 'c-42', 'name': 'Ada Lovelace', 'email': 'ada@example.com', 'phone': '+44 20 0000',
                              'addresses': [{'type': 'billing', 'city': 'London'}, {'type': 'shipping', 'city': 'Leeds'}],
                              'loyalty': {'tier': 'gold', 'points': 1200}},
                 'items': [{'sku': 'PEN-1', 'name': 'Fountain pen', 'qty': 2, 'unitPrice': 19.99,
                            'image': {'url': 'https://cdn.example/pen.jpg', 'width': 1200, 'height': 800},
                            'warehouse': {'id': 'w-3', 'bin': 'A7'}},
                           {'sku': 'INK-9', 'name': 'Ink', 'unitPrice': 19.99,
                            'image': {'url': 'https://cdn.example/ink.jpg', 'width': 1200, 'height': 800},
                            'warehouse': {'id': 'w-1', 'bin': 'C2'}}],
                 'payment': {'method': 'card', 'last4': '4242', 'authCode': 'X9'},
                 'audit': {'createdBy': 'checkout', 'version': 14}}""");
        ObjectNode before = order.deepCopy();
        JsonShape mobile = JsonShape.compile(ShapeRules.builder()
                .include("/id", "/status", "/totals/gross", "customer.name", "customer.loyalty.tier",
                        "items[*].sku", "items[*].name", "items[*].qty", "items[*].image.url")
                .defaultValue("/items/*/qty", json("1"))
                .rename("/totals/gross", "/total")
                .rename("/customer/loyalty/tier", "/customer/tier")
                .rename("/items/*/image/url", "/items/*/imageUrl")
                .flatten("/customer")
                .build());

        JsonNode small = mobile.apply(order);

        assertThat(small).hasToString(json("""
                {'id': 'o-1001', 'status': 'SHIPPED', 'name': 'Ada Lovelace', 'tier': 'gold',
                 'items': [{'sku': 'PEN-1', 'name': 'Fountain pen', 'qty': 2, 'imageUrl': 'https://cdn.example/pen.jpg'},
                           {'sku': 'INK-9', 'name': 'Ink', 'qty': 1, 'imageUrl': 'https://cdn.example/ink.jpg'}],
                 'total': 59.97}""").toString());
        assertThat(small.toString().length()).isLessThan(order.toString().length() / 2);
        assertThat(order).isEqualTo(before);
    }

    @Test
    void leavesItsInputAsItWasWhateverTheRulesDo() {
        JsonNode input = json(ORDER.replace("'id': 7", "'id': 7, 'meta': {'a': {'b': 1}}, 'nil': null"));
        String before = input.toString();
        JsonShape shape = JsonShape.compile(rules()
                .include("/id", "/customer", "/items", "/meta", "/nil")
                .exclude("/items/*/internal", "/items/1")
                .defaultValue("/items/*/qty", json("1")).defaultValue("/nil", json("{'x': 1}"))
                .rename("/customer/name", "/name").rename("/items/*/sku", "/items/*/id").rename("/meta/a/b", "/b")
                .flatten("/customer")
                .build());

        JsonNode shaped = shape.apply(input);

        assertThat(input).hasToString(before);
        assertThat(shaped).hasToString(json("""
                {'id': 7, 'nil': {'x': 1}, 'email': 'ada@example.com', 'items': [{'id': 'A1', 'qty': 2}, {'qty': 1}],
                 'name': 'Ada', 'b': 1}""").toString());
    }

    @Test
    void sharesNothingMutableWithItsInputNorWithEarlierResults() {
        JsonNode input = json(ORDER);
        JsonShape shape = JsonShape.compile(rules().defaultValue("/flags", json("{'new': true}")).build());

        ObjectNode first = (ObjectNode) shape.apply(input);
        ((ObjectNode) first.get("customer")).put("name", "changed");
        ((ObjectNode) first.get("items").get(0)).removeAll();
        ((ObjectNode) first.get("flags")).put("new", false);
        JsonNode second = shape.apply(input);

        assertThat(input).isEqualTo(json(ORDER));
        assertThat(second.get("customer").get("name").asText()).isEqualTo("Ada");
        assertThat(second.get("flags")).isEqualTo(json("{'new': true}"));
    }

    @Test
    void rulesKeepNoReferenceToTheDefaultValueTheyWereGiven() {
        ObjectNode value = (ObjectNode) json("{'new': true}");
        ShapeRules rules = rules().defaultValue("/flags", value).build();
        JsonShape shape = JsonShape.compile(rules);

        value.put("new", false);

        assertThat(shape.apply(json("{}"))).isEqualTo(json("{'flags': {'new': true}}"));
        assertThat(rules.defaults().get("/flags")).isEqualTo(json("{'new': true}"));
    }

    @Test
    void givesTheSameResultOnManyThreadsAtOnce() {
        JsonShape shape = JsonShape.compile(rules().include("items[*].sku", "/id").rename("/items/*/sku", "/items/*/id")
                .defaultValue("/items/*/sku", json("'none'")).build());
        JsonNode input = json(ORDER);
        String expected = shape.apply(input).toString();

        assertThat(IntStream.range(0, 200).parallel().mapToObj(i -> shape.apply(input).toString()).distinct())
                .containsExactly(expected);
    }

    @Test
    void emptyRulesGiveAnEqualCopy() {
        JsonNode input = json(ORDER);
        JsonNode copy = JsonShape.compile(ShapeRules.EMPTY).apply(input);

        assertThat(copy).isEqualTo(input).isNotSameAs(input);
        assertThat(copy.get("customer")).isNotSameAs(input.get("customer"));
        assertThat(ShapeRules.EMPTY.isEmpty()).isTrue();
    }
}
