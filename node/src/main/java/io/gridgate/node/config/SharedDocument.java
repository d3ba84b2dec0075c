package io.gridgate.node.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gridgate.cluster.ConfigVersion;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The sections of the configuration the cluster shares ({@code services}, {@code policies},
 * {@code routes}, {@code auth}) as the grid and each node's disk keep them: JSON text, every consumer's API key
 * replaced by {@code sha256:<digest>}, so no copy of the shared configuration holds a key. What an
 * admin reads has the JWT secrets hidden; a document sent back with them hidden keeps the current ones.
 */
public final class SharedDocument {

    /** The shared sections, in document order. */
    public static final List<String> SECTIONS = List.of("services", "policies", "routes", "auth");
    /** What a hidden secret reads as. */
    public static final String HIDDEN = "(hidden)";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    private static final String DIGEST_PREFIX = "sha256:";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private SharedDocument() {
    }

    /**
     * The shared sections of a YAML or JSON text that already passed validation, as stored: JSON,
     * keys as digests. Other sections are left out.
     */
    public static String canonical(String validText) {
        JsonNode root;
        try {
            root = YAML.readTree(validText);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the text passed validation but does not parse: " + e.getOriginalMessage(), e);
        }
        ObjectNode shared = JSON.createObjectNode();
        if (root instanceof ObjectNode object) {
            for (String section : SECTIONS) {
                if (object.has(section) && !object.get(section).isNull()) {
                    shared.set(section, object.get(section).deepCopy());
                }
            }
        }
        for (JsonNode keys : consumerKeyLists(shared)) {
            ArrayNode list = (ArrayNode) keys;
            for (int i = 0; i < list.size(); i++) {
                String key = list.get(i).asText();
                if (!DIGEST.matcher(key).matches()) {
                    list.set(i, TextNode.valueOf(DIGEST_PREFIX + ConfigVersion.digestOf(key)));
                }
            }
        }
        return text(shared);
    }

    /** A stored document as a tree. */
    public static ObjectNode tree(String document) {
        try {
            JsonNode node = JSON.readTree(document);
            return node instanceof ObjectNode object ? object : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored configuration document: " + e.getOriginalMessage(), e);
        }
    }

    /** A tree as document text: indented JSON, so that errors about it name useful lines. */
    public static String text(JsonNode tree) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** A tree as YAML, for export. */
    public static String yaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** The digests of every consumer key a stored document names. */
    public static Set<String> keyDigests(JsonNode document) {
        Set<String> digests = new LinkedHashSet<>();
        for (JsonNode keys : consumerKeyLists(document)) {
            keys.forEach(key -> {
                if (DIGEST.matcher(key.asText()).matches()) {
                    digests.add(key.asText().substring(DIGEST_PREFIX.length()));
                }
            });
        }
        return digests;
    }

    /** A copy with every JWT key's {@code secret} shown as {@value #HIDDEN}. */
    public static JsonNode redacted(JsonNode document) {
        JsonNode copy = document.deepCopy();
        for (JsonNode key : jwtKeys(copy)) {
            if (key instanceof ObjectNode object && object.has("secret")) {
                object.put("secret", HIDDEN);
            }
        }
        return copy;
    }

    /**
     * Puts back the secrets a document sent as {@value #HIDDEN}, from the key of the same issuer and
     * position (or the same {@code kid}) in {@code current}; a hidden secret with no counterpart stays
     * hidden, and validation rejects it.
     */
    public static void restoreSecrets(JsonNode posted, JsonNode current) {
        JsonNode issuers = posted.path("auth").path("jwt");
        JsonNode currentIssuers = current.path("auth").path("jwt");
        for (JsonNode issuer : issuers) {
            JsonNode was = null;
            for (JsonNode candidate : currentIssuers) {
                if (candidate.path("id").equals(issuer.path("id"))) {
                    was = candidate;
                }
            }
            if (was == null) {
                continue;
            }
            JsonNode keys = issuer.path("keys");
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i) instanceof ObjectNode key && HIDDEN.equals(key.path("secret").asText(null))) {
                    JsonNode match = matchingKey(was.path("keys"), key, i);
                    if (match != null && match.path("secret").isTextual()) {
                        key.set("secret", match.get("secret").deepCopy());
                    }
                }
            }
        }
    }

    private static JsonNode matchingKey(JsonNode keys, JsonNode key, int index) {
        if (key.has("kid")) {
            for (JsonNode candidate : keys) {
                if (candidate.path("kid").equals(key.get("kid"))) {
                    return candidate;
                }
            }
            return null;
        }
        return index < keys.size() && !keys.get(index).has("kid") ? keys.get(index) : null;
    }

    /** The ids of the routes of a stored document that use the named policy {@code name}, in document order. */
    public static Set<String> policyUsers(JsonNode document, String name) {
        Set<String> users = new LinkedHashSet<>();
        for (JsonNode route : document.path("routes")) {
            boolean uses = name.equals(route.path("auth").path("policy").asText(null));
            for (JsonNode rateLimit : route.path("rateLimits")) {
                uses |= name.equals(rateLimit.path("policy").asText(null));
            }
            if (uses) {
                users.add(route.path("id").asText());
            }
        }
        return users;
    }

    private static List<JsonNode> consumerKeyLists(JsonNode document) {
        java.util.ArrayList<JsonNode> lists = new java.util.ArrayList<>();
        for (JsonNode consumer : document.path("auth").path("consumers")) {
            if (consumer.path("apiKeys").isArray()) {
                lists.add(consumer.get("apiKeys"));
            }
        }
        return lists;
    }

    private static List<JsonNode> jwtKeys(JsonNode document) {
        java.util.ArrayList<JsonNode> keys = new java.util.ArrayList<>();
        for (JsonNode issuer : document.path("auth").path("jwt")) {
            issuer.path("keys").forEach(keys::add);
        }
        return keys;
    }
}
