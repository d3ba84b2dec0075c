package io.gridgate.node.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A composite route: one client request answered by several upstream calls, merged into one JSON
 * document. Calls run as soon as their inputs are ready: at once when they need only the request,
 * after the calls whose results their templates read otherwise.
 *
 * @param calls the calls, in the order their results are merged
 * @param timeout the whole composition's deadline; each call's own timeout runs within it
 * @param maxBodyBytes bound on each call's response body, which is buffered to be merged
 * @param maxFanOut bound on the calls one {@code forEach} makes
 * @param forwardHeaders client request headers every call carries (the identity headers of
 *     authentication, {@code traceparent} and {@code X-Forwarded-For} are always carried)
 */
public record ComposeConfig(List<Call> calls, Duration timeout, long maxBodyBytes, int maxFanOut,
                            List<String> forwardHeaders) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_FAN_OUT = 20;

    public ComposeConfig {
        calls = List.copyOf(calls);
        forwardHeaders = List.copyOf(forwardHeaders);
    }

    /**
     * One upstream call of a composition.
     *
     * @param upstream an {@code http(s)://} URL or {@code service:<name>}, balanced and guarded by its
     *     breaker like a proxied request
     * @param path the path sent, a template: {@code /orders/{path.id}}, {@code /customers/{order.customerId}}
     * @param query query parameters sent, each a template
     * @param timeout how long the call may take, within the composition's deadline
     * @param optional when true, a failure leaves its place null and marks the answer partial instead of
     *     failing it
     * @param forEach a reference to an array in another call's result ({@code order.itemIds}): one call
     *     per element, {@code {item}} naming it in the templates; the results form an array
     * @param into where the result goes: a key of the answer, or {@code ""} to merge an object's
     *     members into the answer itself
     */
    public record Call(String id, String upstream, Template path, Map<String, Template> query, Duration timeout,
                       boolean optional, Optional<Reference> forEach, String into) {

        public Call {
            query = Map.copyOf(query);
        }

        /** The calls whose results this one reads, in its templates and {@code forEach}. */
        public List<String> needs() {
            java.util.LinkedHashSet<String> needs = new java.util.LinkedHashSet<>();
            path.references().stream().filter(Reference::isCall).forEach(r -> needs.add(r.source()));
            query.values().forEach(t -> t.references().stream().filter(Reference::isCall).forEach(r -> needs.add(r.source())));
            forEach.ifPresent(r -> needs.add(r.source()));
            return List.copyOf(needs);
        }
    }

    /**
     * A value read from the request or a result: {@code source} is {@code path}, {@code query},
     * {@code header}, {@code item} or a call's id; {@code steps} the path within it
     * ({@code order.customer.id} reads {@code customer}, then {@code id}, of call {@code order}'s result).
     */
    public record Reference(String source, List<String> steps) {

        public static final List<String> REQUEST_SOURCES = List.of("path", "query", "header", "item");

        public Reference {
            steps = List.copyOf(steps);
        }

        public boolean isCall() {
            return !REQUEST_SOURCES.contains(source);
        }

        @Override
        public String toString() {
            return steps.isEmpty() ? source : source + "." + String.join(".", steps);
        }
    }

    /** Text with {@code {reference}} placeholders; each part is literal text or a reference. */
    public record Template(String text, List<Object> parts) {

        public Template {
            parts = List.copyOf(parts);
        }

        public List<Reference> references() {
            return parts.stream().filter(Reference.class::isInstance).map(Reference.class::cast).toList();
        }

        /**
         * Parses {@code text}; a {@code {} without its {@code }}, an empty or malformed reference, is an
         * error with the reason.
         */
        public static Template parse(String text) {
            List<Object> parts = new java.util.ArrayList<>();
            StringBuilder literal = new StringBuilder();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '{') {
                    int end = text.indexOf('}', i);
                    if (end < 0) {
                        throw new IllegalArgumentException("a \"{\" without its \"}\"");
                    }
                    String inside = text.substring(i + 1, end).trim();
                    if (!inside.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
                        throw new IllegalArgumentException("{" + inside + "} is not a reference such as {path.id} or {order.customerId}");
                    }
                    if (literal.length() > 0) {
                        parts.add(literal.toString());
                        literal.setLength(0);
                    }
                    parts.add(reference(inside));
                    i = end + 1;
                } else if (c == '}') {
                    throw new IllegalArgumentException("a \"}\" without its \"{\"");
                } else {
                    literal.append(c);
                    i++;
                }
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
            }
            return new Template(text, parts);
        }

        static Reference reference(String dotted) {
            String[] steps = dotted.split("\\.");
            return new Reference(steps[0], List.of(steps).subList(1, steps.length));
        }
    }
}
