package io.gridgate.node.shape;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled, immutable response shape: one client's view of a JSON response, such as a small
 * payload for a mobile app from the same upstream that gives a web client everything. It is
 * compiled once, when its route is built, and is thread-safe; applying it never changes its input
 * and its result shares nothing mutable with the input.
 *
 * <p>The rules run in this order, each on the result of the one before:
 * <ol>
 *   <li><b>include</b> keeps only what its paths reach, and the containers on the way (an object
 *       walked through stays, even empty, while a scalar where a path goes on is dropped); an
 *       array keeps its selected elements in order, so {@code /items/0} keeps a one-element
 *       array. A path that does not exist is simply absent. No include keeps everything.</li>
 *   <li><b>exclude</b> removes what its paths reach: object members, and array elements by index
 *       (all indexes refer to the array before any removal) or by {@code *}.</li>
 *   <li><b>defaults</b> give an object member a value when it is missing or null. The last step
 *       names the member ({@code *} is rejected: it cannot say which member to add). Missing or
 *       null members on the way are created as empty objects, but only after the last {@code *}:
 *       wildcards visit what exists, so {@code /items/*}{@code /qty} fills each item's quantity
 *       without inventing an {@code items}. Array elements are never created.</li>
 *   <li><b>rename</b> moves an object member (null included) to another path, creating objects on
 *       the way as defaults do, and replacing what was there; a missing source is a no-op, and
 *       when the target cannot be reached (a scalar or an array is in the way) the member stays
 *       where it was. A rename within the same object keeps the member's place, and objects the
 *       move leaves empty are removed (up to the last {@code *}; array elements always stay), so
 *       {@code /totals/gross -> /total} leaves no {@code "totals":{}} behind. Wildcards must
 *       pair up: both paths have the same steps up to the source's last {@code *}, so
 *       {@code /items/*}{@code /sku -> /items/*}{@code /id} works in each item and
 *       {@code /a/*}{@code /x -> /b/*}{@code /x} is rejected. Renames run in their given order.</li>
 *   <li><b>flatten</b> lifts an object member's members into the object holding it, at its place;
 *       names already taken there stay in the flattened member, which remains only if something
 *       is left in it, so flattening never overwrites. It does nothing where the member is not an
 *       object. There is no prefix syntax ({@code :} is a legal name character); rename members
 *       first, or rename them straight to the top, for prefixed names.</li>
 * </ol>
 *
 * <p>This order lets include, exclude, defaults and rename sources speak the upstream's names, as
 * its documentation gives them: include and exclude narrow the payload, defaults complete what is
 * left, renames then give the client its names, resolving clashes before flatten merges objects,
 * and flatten, last, speaks the client's names.
 *
 * <p>Paths address a top-level array's elements with a leading wildcard ({@code /*}{@code /id} or
 * {@code [*].id}); a path starting with a name reaches nothing in an array, so a shape written for
 * an object never half-applies to a list. A document that is neither an object nor an array comes
 * back unchanged.
 *
 * <p>Compiling bounds the work: at most {@value #MAX_RULES} entries and {@value #MAX_STEPS}
 * steps a path. Applying follows paths with recursion bounded by their steps, and copies
 * documents iteratively, so a document nested thousands deep cannot overflow the stack; each
 * rule visits a node at most a constant number of times.
 */
public final class JsonShape {

    /** The most entries {@code include}, {@code exclude}, {@code rename}, {@code flatten} and {@code defaults} may have together. */
    public static final int MAX_RULES = 256;

    /** The most steps a path may have; it also bounds the recursion of every walk over a document. */
    public static final int MAX_STEPS = Path.MAX_STEPS;

    private final ShapeRules rules;
    private final Selection include;
    private final Selection exclude;
    private final List<DefaultRule> defaults;
    private final List<RenameRule> renames;
    private final List<FlattenRule> flattens;

    private JsonShape(ShapeRules rules, Selection include, Selection exclude, List<DefaultRule> defaults,
                      List<RenameRule> renames, List<FlattenRule> flattens) {
        this.rules = rules;
        this.include = include;
        this.exclude = exclude;
        this.defaults = List.copyOf(defaults);
        this.renames = List.copyOf(renames);
        this.flattens = List.copyOf(flattens);
    }

    /**
     * Compiles the rules.
     *
     * @throws ShapeException naming the first entry that is wrong, its value and what was expected,
     *                        such as {@code include[2]: "/items/**" (expected: ...)}
     */
    public static JsonShape compile(ShapeRules rules) {
        if (rules.size() > MAX_RULES) {
            throw new ShapeException("rules", String.valueOf(rules.size()),
                    "at most " + MAX_RULES + " entries in include, exclude, rename, flatten and defaults together");
        }
        List<DefaultRule> defaults = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : rules.defaults().entrySet()) {
            defaults.add(DefaultRule.compile(entry.getKey(), entry.getValue(), "defaults[" + defaults.size() + "]"));
        }
        List<RenameRule> renames = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, String> entry : rules.rename().entrySet()) {
            RenameRule rename = RenameRule.compile(entry.getKey(), entry.getValue(), "rename[" + index++ + "]");
            if (!rename.isIdentity()) {
                renames.add(rename);
            }
        }
        List<FlattenRule> flattens = new ArrayList<>();
        for (String path : rules.flatten()) {
            flattens.add(FlattenRule.compile(path, "flatten[" + flattens.size() + "]"));
        }
        return new JsonShape(rules, selection(rules.include(), "include"), selection(rules.exclude(), "exclude"),
                defaults, renames, flattens);
    }

    private static Selection selection(List<String> paths, String section) {
        List<Path> compiled = new ArrayList<>(paths.size());
        for (String path : paths) {
            compiled.add(Path.parse(path, section + "[" + compiled.size() + "]"));
        }
        return Selection.of(compiled);
    }

    /** The rules this shape was compiled from. */
    public ShapeRules rules() {
        return rules;
    }

    /** The shaped copy of {@code document}; the document itself is left as it was. */
    public JsonNode apply(JsonNode document) {
        return apply(document, new Visits());
    }

    JsonNode apply(JsonNode document, Visits visits) {
        Objects.requireNonNull(document, "document");
        JsonNode shaped = include.isEmpty() ? Trees.copy(document, visits) : include.keep(document, visits);
        if (!shaped.isContainerNode()) {
            return shaped;
        }
        exclude.remove(shaped, visits);
        defaults.forEach(rule -> rule.apply(shaped, visits));
        renames.forEach(rule -> rule.apply(shaped, visits));
        flattens.forEach(rule -> rule.apply(shaped, visits));
        return shaped;
    }
}
