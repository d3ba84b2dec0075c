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
 * Puts a problem of the document a change would store back where the client wrote it. A change
 * through the API is validated as a whole document rebuilt from the body; the rebuilt document's
 * lines mean nothing to the client, so each problem inside the part the body supplied is reported
 * at the body's own line and column, under its JSON pointer within the body, and a problem
 * elsewhere is reported as one of the resulting configuration, with no line.
 */
final class RequestBody implements UnaryOperator<ConfigError> {

    /** How problems within the body are labelled, as the file's name labels the file's. */
    static final String SOURCE = "request body";
    /** How problems outside the body are labelled: they are in what the change would make. */
    static final String RESULT = "resulting configuration";
    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonFactory YAML = new YAMLFactory();

    private final String at;
    private final Map<String, int[]> positions;

    private RequestBody(String at, Map<String, int[]> positions) {
        this.at = at;
        this.positions = positions;
    }

    /** A JSON body that became the value at pointer {@code at} of the document. */
    static RequestBody json(String text, String at) {
        return new RequestBody(at, positions(JSON, text));
    }

    /** A YAML (or JSON) body that became the whole document. */
    static RequestBody yaml(String text) {
        return new RequestBody("", positions(YAML, text));
    }

    /** A change without a body, such as a removal: every problem is one of the resulting configuration. */
    static UnaryOperator<ConfigError> none() {
        return error -> new ConfigError(RESULT, 0, 0, error.path(), error.message(), error.constraint());
    }

    @Override
    public ConfigError apply(ConfigError error) {
        String path = error.path();
        if (!path.equals(at) && !path.startsWith(at + "/")) {
            return new ConfigError(RESULT, 0, 0, path, error.message(), error.constraint());
        }
        String within = path.substring(at.length());
        int[] position = nearest(within);
        return new ConfigError(SOURCE, position[0], position[1], within, error.message(), error.constraint());
    }

    /**
     * The position of the value at {@code pointer}, or of the closest enclosing value the body has:
     * a missing field is reported where its object starts, a field the API added (a route's id
     * taken from the path) where the body starts.
     */
    private int[] nearest(String pointer) {
        String candidate = pointer;
        while (!candidate.isEmpty() && !positions.containsKey(candidate)) {
            candidate = candidate.substring(0, candidate.lastIndexOf('/'));
        }
        return positions.getOrDefault(candidate, new int[] {0, 0});
    }

    /** Where each value starts, by JSON pointer; a field is placed at its name, as the file's errors are. */
    private static Map<String, int[]> positions(JsonFactory factory, String text) {
        Map<String, int[]> positions = new HashMap<>();
        try (JsonParser parser = factory.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token.isStructEnd()) {
                    continue;
                }
                // A container's start token already stands in the container's own context, whose
                // parent names the container's place.
                JsonStreamContext context = token.isStructStart() ? parser.getParsingContext().getParent()
                        : parser.getParsingContext();
                JsonLocation location = parser.currentTokenLocation();
                positions.putIfAbsent(context.pathAsPointer().toString(),
                        new int[] {location.getLineNr(), location.getColumnNr()});
            }
        } catch (IOException e) {
            // The body was parsed before it got here; what was read so far still locates problems.
        }
        return positions;
    }
}
