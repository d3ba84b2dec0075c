package io.gridgate.node.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.node.config.ComposeConfig;
import io.gridgate.node.config.ComposeConfig.Call;
import io.gridgate.node.config.ComposeConfig.Reference;
import io.gridgate.node.config.ComposeConfig.Template;
import io.gridgate.node.routing.Composite;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.WorkerUtils;
import org.xnio.XnioExecutor;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of a composite route for one request: each call starts as soon as the calls it reads
 * have answered (at once for those that read only the request), a {@code forEach} call fans out over
 * an array of another's result, and the results are merged in declaration order. An optional call
 * that fails (or whose input failed) leaves null in its place and is listed as missing; a required
 * one fails the whole run, naming itself. The run as a whole has the composition's deadline.
 */
final class Composition {

    /** What a run came to: the merged document and the optional calls that failed. */
    record Result(ObjectNode document, List<String> missing) {
    }

    private final Composite composite;
    private final HttpServerExchange exchange;
    private final Map<String, String> pathVariables;
    private final Map<String, String> headers;
    private final Map<String, CompletableFuture<JsonNode>> calls = new LinkedHashMap<>();
    /** Every request sent, fan-out included, so the deadline can give up those still out. */
    private final List<CompletableFuture<JsonNode>> sent = new ArrayList<>();

    Composition(Composite composite, HttpServerExchange exchange, Map<String, String> pathVariables,
                Map<String, String> headers) {
        this.composite = composite;
        this.exchange = exchange;
        this.pathVariables = pathVariables;
        this.headers = headers;
    }

    /**
     * Starts every call (each waits for its inputs) and completes with the merged result. Runs on the
     * exchange's I/O thread, as do the calls' callbacks and the deadline, so the run's state needs no
     * lock.
     */
    CompletableFuture<Result> run() {
        ComposeConfig config = composite.config();
        List<Call> pending = new ArrayList<>(config.calls());
        // Declaration order need not be dependency order: start each call once its inputs have futures.
        while (!pending.isEmpty()) {
            boolean progressed = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Call call = it.next();
                if (calls.keySet().containsAll(call.needs())) {
                    calls.put(call.id(), start(call));
                    it.remove();
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("calls depend on one another in a circle: " + pending);
            }
        }
        CompletableFuture<Result> result = new CompletableFuture<>();
        XnioExecutor.Key deadline = WorkerUtils.executeAfter(exchange.getIoThread(), () -> {
            if (result.isDone()) {
                return;
            }
            String late = calls.entrySet().stream().filter(e -> !e.getValue().isDone())
                    .map(Map.Entry::getKey).findFirst().orElse("composition");
            result.completeExceptionally(new CallFailure(late, CallFailure.Kind.TIMEOUT,
                    "no answer within the composition's deadline of " + config.timeout().toMillis() + " ms"));
            List.copyOf(sent).forEach(call -> call.cancel(true));
        }, config.timeout().toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.allOf(calls.values().stream().map(f -> f.exceptionally(e -> null))
                .toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
                    deadline.remove();
                    if (result.isDone()) {
                        return;
                    }
                    try {
                        result.complete(merge(config));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                });
        return result;
    }

    private Result merge(ComposeConfig config) {
        ObjectNode document = SubRequests.JSON.createObjectNode();
        List<String> missing = new ArrayList<>();
        for (Call call : config.calls()) {
            CompletableFuture<JsonNode> future = calls.get(call.id());
            JsonNode value;
            try {
                value = future.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                CallFailure failure = failure(call, e);
                if (!call.optional()) {
                    throw failure;
                }
                missing.add(call.id());
                value = NullNode.getInstance();
            }
            if (call.into().isEmpty() && value instanceof ObjectNode object) {
                document.setAll(object);
            } else {
                document.set(call.into().isEmpty() ? call.id() : call.into(), value);
            }
        }
        return new Result(document, missing);
    }

    private static CallFailure failure(Call call, Throwable error) {
        Throwable cause = SubRequests.unwrap(error);
        if (cause instanceof CallFailure failure) {
            return failure;
        }
        if (cause instanceof TimeoutException || cause instanceof java.util.concurrent.CancellationException) {
            return new CallFailure(call.id(), CallFailure.Kind.TIMEOUT, "no answer in time");
        }
        return new CallFailure(call.id(), CallFailure.Kind.FAILED, cause.getClass().getSimpleName());
    }

    private CompletableFuture<JsonNode> start(Call call) {
        List<CompletableFuture<JsonNode>> inputs = call.needs().stream().map(calls::get).toList();
        return CompletableFuture.allOf(inputs.toArray(CompletableFuture[]::new))
                .handle((done, error) -> {
                    for (String need : call.needs()) {
                        CompletableFuture<JsonNode> input = calls.get(need);
                        if (input.isCompletedExceptionally()) {
                            throw new CallFailure(call.id(), CallFailure.Kind.FAILED, "its input " + need + " failed");
                        }
                    }
                    return call;
                })
                .thenCompose(this::invoke);
    }

    private CompletableFuture<JsonNode> invoke(Call call) {
        if (call.forEach().isEmpty()) {
            return send(call, null);
        }
        Reference source = call.forEach().get();
        JsonNode items = read(source, null, call);
        if (!items.isArray()) {
            throw new CallFailure(call.id(), CallFailure.Kind.FAILED, "forEach " + source + " is not an array");
        }
        int fanOut = composite.config().maxFanOut();
        if (items.size() > fanOut) {
            throw new CallFailure(call.id(), CallFailure.Kind.FAILED, "forEach " + source + " has " + items.size()
                    + " items, more than maxFanOut " + fanOut);
        }
        List<CompletableFuture<JsonNode>> each = new ArrayList<>();
        items.forEach(item -> each.add(send(call, item)));
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ArrayNode results = SubRequests.JSON.createArrayNode();
            each.forEach(f -> results.add(f.join()));
            return results;
        });
    }

    private CompletableFuture<JsonNode> send(Call call, JsonNode item) {
        StringBuilder target = new StringBuilder(render(call.path(), item, call, true));
        char separator = '?';
        for (Map.Entry<String, Template> parameter : call.query().entrySet()) {
            target.append(separator).append(encode(parameter.getKey())).append('=')
                    .append(encode(render(parameter.getValue(), item, call, false)));
            separator = '&';
        }
        CompletableFuture<JsonNode> request = SubRequests.get(exchange, call.id(), composite.upstreams().get(call.id()),
                target.toString(), headers, call.timeout(), composite.config().maxBodyBytes());
        sent.add(request);
        return request;
    }

    private String render(Template template, JsonNode item, Call call, boolean inPath) {
        StringBuilder out = new StringBuilder();
        for (Object part : template.parts()) {
            if (part instanceof String literal) {
                out.append(literal);
                continue;
            }
            Reference reference = (Reference) part;
            if (reference.source().equals("path")) {
                out.append(pathVariables.getOrDefault(reference.steps().get(0), "")); // as sent, still encoded
                continue;
            }
            JsonNode value = read(reference, item, call);
            String text = value.isValueNode() ? value.asText() : value.toString();
            out.append(inPath ? encode(text).replace("+", "%20") : text);
        }
        return out.toString();
    }

    /** The value a reference names; a missing one fails the call, naming what was missing. */
    private JsonNode read(Reference reference, JsonNode item, Call call) {
        JsonNode value = switch (reference.source()) {
            case "query" -> text(exchange.getQueryParameters().get(reference.steps().get(0)) == null ? null
                    : exchange.getQueryParameters().get(reference.steps().get(0)).peekFirst());
            case "header" -> text(exchange.getRequestHeaders().getFirst(reference.steps().get(0)));
            case "item" -> item;
            default -> calls.get(reference.source()).join();
        };
        List<String> steps = reference.source().equals("query") || reference.source().equals("header")
                ? List.of() : reference.steps();
        for (String step : steps) {
            value = value == null ? null : value.isArray() && step.matches("\\d+") ? value.get(Integer.parseInt(step))
                    : value.get(step);
        }
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new CallFailure(call.id(), CallFailure.Kind.FAILED, "{" + reference + "} is missing");
        }
        return value;
    }

    private static JsonNode text(String value) {
        return value == null ? null : SubRequests.JSON.getNodeFactory().textNode(value);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
