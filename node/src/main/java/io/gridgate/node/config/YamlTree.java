package io.gridgate.node.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.JacksonYAMLParseException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;
import io.gridgate.node.config.YamlNode.Sequence;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link YamlNode} tree from Jackson's YAML token stream. Jackson's tree model drops
 * positions, which is why this walks the tokens itself.
 */
final class YamlTree {

    /** Far beyond any sane config; keeps hostile input from exhausting the stack. */
    private static final int MAX_DEPTH = 64;
    /** The constraint a syntax error breaks, for clients that read it apart from the message. */
    private static final String WELL_FORMED = "a well-formed YAML (or JSON) document";

    // YAML 1.1 reads "no", "on" and "y" as booleans; a gateway config wants them as text.
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build();

    private final String text;
    private final Problems problems;
    private final List<Runnable> deferred = new ArrayList<>();
    private int[] lineStarts;

    private YamlTree(String text, Problems problems) {
        this.text = text;
        this.problems = problems;
    }

    /**
     * The document's root node, or empty when the document is empty or cannot be parsed. A syntax
     * error is reported alone: errors found before it would only describe a half-read document.
     */
    static Optional<YamlNode> parse(String text, Problems problems) {
        return new YamlTree(text, problems).parse();
    }

    private Optional<YamlNode> parse() {
        YamlNode root;
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                return Optional.empty();
            }
            root = node((YAMLParser) parser, "", 0);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                problems.reject(problems.at(at.getLineNr(), at.getColumnNr(), ""), "a second YAML document",
                        "one document per file");
                return Optional.empty();
            }
        } catch (TooDeep e) {
            problems.add(problems.at(e.line, e.column, ""),
                    "invalid YAML: nested deeper than " + MAX_DEPTH + " levels", "at most " + MAX_DEPTH + " levels of nesting");
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            reportSyntax(e);
            return Optional.empty();
        }
        deferred.forEach(Runnable::run);
        return Optional.ofNullable(root).filter(r -> !(r instanceof Scalar s && s.isNull()));
    }

    private YamlNode node(YAMLParser parser, String path, int depth) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        if (depth > MAX_DEPTH) {
            throw new TooDeep(line, column);
        }
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            return mapping(parser, path, depth, line, column);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (next(parser) != JsonToken.END_ARRAY) {
                items.add(node(parser, path + "/" + items.size(), depth + 1));
            }
            return new Sequence(items, line, column);
        }
        return scalar(parser, token, path, line, column);
    }

    private Mapping mapping(YAMLParser parser, String path, int depth, int line, int column) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Map<String, Integer> firstLines = new HashMap<>();
        while (next(parser) == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonLocation keyAt = parser.currentTokenLocation();
            String keyPath = path + "/" + YamlNode.pointerToken(key);
            next(parser);
            YamlNode value = node(parser, keyPath, depth + 1);
            Integer first = firstLines.putIfAbsent(key, keyAt.getLineNr());
            if (first == null) {
                entries.add(new Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
            } else {
                defer(keyAt.getLineNr(), keyAt.getColumnNr(), keyPath, "duplicate key",
                        "each key once; first at line " + first);
            }
        }
        return new Mapping(entries, line, column);
    }

    /** The parser ends a broken document with a syntax error; this guards against it ever not doing so. */
    private static JsonToken next(YAMLParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw new JsonParseException(parser, "unexpected end of the document");
        }
        return token;
    }

    private Scalar scalar(YAMLParser parser, JsonToken token, String path, int line, int column) throws IOException {
        String value = parser.getText();
        if (parser.isCurrentAlias()) {
            defer(line, column, path, "*" + value, "the value written out; YAML aliases are not supported");
            return new Scalar(value, Scalar.Type.ALIAS, line, column);
        }
        Scalar.Type type = switch (token) {
            case VALUE_STRING -> value.isEmpty() && isEmptyPlain(line, column) ? Scalar.Type.NULL : Scalar.Type.STRING;
            case VALUE_NUMBER_INT -> Scalar.Type.INTEGER;
            case VALUE_NUMBER_FLOAT -> Scalar.Type.FLOAT;
            case VALUE_TRUE -> Scalar.Type.TRUE;
            case VALUE_FALSE -> Scalar.Type.FALSE;
            case VALUE_NULL -> Scalar.Type.NULL;
            default -> Scalar.Type.OTHER;
        };
        return new Scalar(value == null ? "" : value, type, line, column);
    }

    /**
     * Jackson reports {@code key:} with nothing after it as an empty string, where YAML means null;
     * an empty string that was written on purpose starts with a quote, block indicator or tag.
     */
    private boolean isEmptyPlain(int line, int column) {
        int at = offset(line, column);
        if (at < 0 || at >= text.length()) {
            return true;
        }
        return "\"'|>!&".indexOf(text.charAt(at)) < 0;
    }

    /** The char index of a 1-based line and code-point column, or -1 when outside the text. */
    private int offset(int line, int column) {
        if (lineStarts == null) {
            List<Integer> starts = new ArrayList<>(List.of(0));
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    starts.add(i + 1);
                }
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }
        if (line < 1 || line > lineStarts.length || column < 1) {
            return -1;
        }
        int start = lineStarts[line - 1];
        if (start + column - 1 > text.length()) {
            return -1;
        }
        try {
            return text.offsetByCodePoints(start, column - 1);
        } catch (IndexOutOfBoundsException e) {
            return -1;
        }
    }

    private void defer(int line, int column, String path, String shown, String expected) {
        deferred.add(() -> problems.reject(problems.at(line, column, path), shown, expected));
    }

    private void reportSyntax(Exception e) {
        // Jackson wraps what SnakeYAML throws, and only SnakeYAML's exception knows the exact position.
        Throwable cause = e instanceof JacksonYAMLParseException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof MarkedYAMLException marked) {
            reportMarked(marked);
        } else if (cause instanceof ReaderException unreadable) {
            int[] at = position(unreadable.getPosition());
            problems.add(problems.at(at[0], at[1], ""), String.format(
                    "invalid YAML: character U+%04X is not allowed", unreadable.getCodePoint()), WELL_FORMED);
        } else {
            reportOther(e);
        }
    }

    private void reportMarked(MarkedYAMLException e) {
        String problem = e.getProblem();
        String context = e.getContext();
        Mark contextMark = e.getContextMark();
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : contextMark;
        StringBuilder message = new StringBuilder("invalid YAML: ").append(oneLine(problem != null ? problem : context));
        if (problem != null && context != null) {
            message.append(" (").append(oneLine(context));
            if (contextMark != null) {
                message.append(" started at line ").append(contextMark.getLine() + 1)
                        .append(", column ").append(contextMark.getColumn() + 1);
            }
            message.append(')');
        }
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        problems.add(problems.at(line, column, ""), message.toString(), WELL_FORMED);
    }

    /** The 1-based line and column of a code point index. */
    private int[] position(int codePointIndex) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int seen = 0; i < text.length() && seen < codePointIndex; seen++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    private void reportOther(Exception e) {
        int line = 1;
        int column = 1;
        String message = e.getMessage();
        if (e instanceof JsonProcessingException j) {
            message = j.getOriginalMessage();
            if (j.getLocation() != null && j.getLocation().getLineNr() > 0) {
                line = j.getLocation().getLineNr();
                column = Math.max(1, j.getLocation().getColumnNr());
            }
        }
        if (message != null && message.startsWith("Expected a field name")) {
            message = "a mapping key must be a scalar";
        }
        problems.add(problems.at(line, column, ""),
                "invalid YAML: " + oneLine(message == null ? e.getClass().getSimpleName() : message), WELL_FORMED);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }

    /** Unwinds the recursion at once; it is never seen outside this class. */
    private static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int line;
        final int column;

        TooDeep(int line, int column) {
            super(null, null, false, false);
            this.line = line;
            this.column = column;
        }
    }
}
