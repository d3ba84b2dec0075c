package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gridgate.node.config.ConfigError;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The body of a change, to put each problem of the document it would store back where the client
 * wrote it. A change through the API is often validated as a document rebuilt from the body (one
 * resource put into the rest, hidden secrets restored), whose lines mean nothing to the client: a
 * problem inside the part the body supplied is reported at the body's own line and column, under
 * its JSON pointer within the body, and a problem elsewhere as one of the resulting configuration,
 * with no line.
 */
final class RequestBody {

    /** How problems within the body are labelled, as the file's name labels the file's. */
    static final String SOURCE = "request body";
    /** How problems outside the body are labelled: they are in what the change would make. */
    static final String RESULT = "resulting configuration";
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFactory YAML = new YAMLFactory();

    /** Where the body sits in the document; null when the change has none. */
    private final String at;
    private final Map<String, Place> places;
    private final boolean checkedAsSent;

    private RequestBody(String at, Map<String, Place> places, boolean checkedAsSent) {
        this.at = at;
        this.places = places;
        this.checkedAsSent = checkedAsSent;
    }

    /** A whole document checked as it was sent: the loader's lines are already the body's. */
    static RequestBody checkedAsSent() {
        return new RequestBody("", Map.of(), true);
    }

    /** A JSON body that became the value at pointer {@code at} of the document. */
    static RequestBody json(String text, String at) {
        return new RequestBody(at, places(JSON, text), false);
    }

    /** A YAML (or JSON) body that became the whole document, rewritten before it was checked. */
    static RequestBody yaml(String text) {
        return new RequestBody("", places(YAML, text), false);
    }

    /** A change without a body, such as a removal: every problem is one of the resulting configuration. */
    static RequestBody none() {
        return new RequestBody(null, Map.of(), false);
    }

    /** Relocates the problems found in {@code document}, the JSON text that was checked. */
    UnaryOperator<ConfigError> locator(String document) {
        if (checkedAsSent) {
            return UnaryOperator.identity();
        }
        Map<String, Place> checked = places(JSON, document);
        return error -> locate(error, checked.get(error.path()));
    }

    private ConfigError locate(ConfigError error, Place checked) {
        String path = error.path();
        if (at == null || !path.equals(at) && !path.startsWith(at + "/")) {
            return new ConfigError(RESULT, 0, 0, path, error.message(), error.constraint());
        }
        String within = path.substring(at.length());
        // The loader places a bad value at the value and an unknown key at the key; keep its choice.
        boolean atKey = checked != null && checked.key() != null
                && checked.key()[0] == error.line() && checked.key()[1] == error.column();
        int[] position = nearest(within, atKey);
        return new ConfigError(SOURCE, position[0], position[1], within, error.message(), error.constraint());
    }

    /**
     * The position of the value (or key) at {@code pointer}, or the start of the closest enclosing
     * value the body has: a missing field is reported where its object starts, a field the API added
     * (a route's id taken from the path) where the body starts.
     */
    private int[] nearest(String pointer, boolean atKey) {
        Place place = places.get(pointer);
        if (place != null) {
            return atKey && place.key() != null ? place.key() : place.value();
        }
        String candidate = pointer;
        while (!candidate.isEmpty() && !places.containsKey(candidate)) {
            candidate = candidate.substring(0, candidate.lastIndexOf('/'));
        }
        Place enclosing = places.get(candidate);
        return enclosing == null ? new int[] {0, 0} : enclosing.value();
    }

    /** Where a value's key (null for an array item or the root) and the value itself start. */
    private record Place(int[] key, int[] value) {
    }

    private static Map<String, Place> places(JsonFactory factory, String text) {
        Map<String, Place> places = new HashMap<>();
        Map<String, int[]> keys = new HashMap<>();
        try (JsonParser parser = factory.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token.isStructEnd()) {
                    continue;
                }
                // A container's start token already stands in the container's own context, whose
                // parent names the container's place.
                JsonStreamContext context = token.isStructStart() ? parser.getParsingContext().getParent()
                        : parser.getParsingContext();
                String pointer = context.pathAsPointer().toString();
                JsonLocation location = parser.currentTokenLocation();
                int[] position = {location.getLineNr(), location.getColumnNr()};
                if (token == JsonToken.FIELD_NAME) {
                    keys.put(pointer, position);
                } else {
                    places.putIfAbsent(pointer, new Place(keys.get(pointer), position));
                }
            }
        } catch (IOException e) {
            // The body was parsed before it got here; what was read so far still locates problems.
        }
        return places;
    }
}
