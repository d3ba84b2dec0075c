package io.gridgate.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.node.LiveConfig;
import io.gridgate.node.config.SharedDocument;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

import static io.gridgate.node.admin.AdminExchanges.JSON;

/**
 * The routes, services, consumers and policies of the shared configuration, one at a time: each
 * change is a whole new version of the document, taken as {@link ConfigChanges} takes every
 * change. A policy that routes still use cannot be deleted: the answer names them.
 */
final class ConfigResources {

    private final ConfigChanges changes;
    private final ConfigStore store;
    private final LiveConfig live;
    private final UnaryOperator<HttpHandler> guard;

    ConfigResources(ConfigChanges changes, ConfigStore store, LiveConfig live, UnaryOperator<HttpHandler> guard) {
        this.changes = changes;
        this.store = store;
        this.live = live;
        this.guard = guard;
    }

    // ---- one resource at a time -----------------------------------------------------------------

    /** A kind of resource in the document: where its items live and how one is named. */
    enum Kind {
        ROUTES("route", "id", "/routes", false),
        SERVICES("service", "name", "/services", true),
        CONSUMERS("consumer", "id", "/auth/consumers", false),
        POLICIES("policy", "id", "/policies", true);

        final String noun;
        final String parameter;
        final String pointer;
        /** The items are a mapping from name to item, rather than a sequence of items that carry their id. */
        final boolean keyed;

        Kind(String noun, String parameter, String pointer, boolean keyed) {
            this.noun = noun;
            this.parameter = parameter;
            this.pointer = pointer;
            this.keyed = keyed;
        }

        /** The last step of the pointer: the section's own name, and the field a list answers in. */
        String field() {
            return pointer.substring(pointer.lastIndexOf('/') + 1);
        }
    }

    HttpHandler list(Kind kind) {
        return guard.apply(exchange -> AdminExchanges.respond(exchange, store.current(), Reason.GRID_UNAVAILABLE, found -> {
            ConfigVersion version = found.orElse(live.running().version());
            exchange.getResponseHeaders().put(Headers.ETAG, "\"" + version.version() + "\"");
            ObjectNode body = JSON.createObjectNode().put("version", version.version());
            JsonNode items = SharedDocument.redacted(SharedDocument.tree(version.document())).at(kind.pointer);
            ArrayNode list = body.putArray(kind.field());
            if (kind.keyed) {
                items.fields().forEachRemaining(e -> list.add(named(kind, e.getKey(), e.getValue())));
            } else if (items.isArray()) {
                list.addAll((ArrayNode) items);
            }
            return body;
        }));
    }

    HttpHandler get(Kind kind) {
        return guard.apply(exchange -> {
            String name = AdminExchanges.pathParameter(exchange, kind.parameter);
            AdminExchanges.respond(exchange, store.current(), Reason.GRID_UNAVAILABLE, found -> {
                ConfigVersion version = found.orElse(live.running().version());
                JsonNode item = find(SharedDocument.redacted(SharedDocument.tree(version.document())), kind, name);
                if (item == null) {
                    LocalReply.send(exchange, Reason.NOT_FOUND, "no " + kind.noun + " " + name + " in version "
                            + version.version());
                    return null;
                }
                exchange.getResponseHeaders().put(Headers.ETAG, "\"" + version.version() + "\"");
                return item;
            });
        });
    }

    HttpHandler put(Kind kind) {
        return guard.apply(exchange -> ConfigChanges.withBody(exchange, (basedOn, body) -> {
            String name = AdminExchanges.pathParameter(exchange, kind.parameter);
            String expected = "a JSON object: the " + kind.noun;
            JsonNode item;
            try {
                item = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                ConfigChanges.notJson(exchange, e, expected);
                return;
            }
            if (!(item instanceof ObjectNode object)) {
                AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, "the body must be " + expected,
                        List.of(new FieldError("", item == null || item.isMissingNode() ? "empty body" : item.getNodeType()
                                .name().toLowerCase(Locale.ROOT), expected)));
                return;
            }
            JsonNode id = object.get(kind.parameter);
            if (id != null && !id.asText().equals(name)) {
                AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, new FieldError("/" + kind.parameter,
                        id.toString(), "\"" + name + "\", the " + kind.parameter + " in the path, or no " + kind.parameter));
                return;
            }
            // A sequence's items carry their id; a mapping's are named by their key alone.
            ObjectNode newItem = JSON.createObjectNode();
            if (!kind.keyed) {
                newItem.put(kind.parameter, name);
            }
            newItem.setAll(object);
            if (kind.keyed) {
                newItem.remove(kind.parameter);
            }
            String text = new String(body, StandardCharsets.UTF_8);
            edit(exchange, basedOn, kind, name, "PUT", document -> {
                JsonNode items = container(document, kind);
                if (kind.keyed) {
                    ((ObjectNode) items).set(name, newItem);
                    return RequestBody.json(text, kind.pointer + "/" + pointerSegment(name));
                }
                int index = indexOf((ArrayNode) items, name);
                if (index >= 0) {
                    ((ArrayNode) items).set(index, newItem);
                } else {
                    index = items.size();
                    ((ArrayNode) items).add(newItem);
                }
                return RequestBody.json(text, kind.pointer + "/" + index);
            });
        }));
    }

    HttpHandler delete(Kind kind) {
        return guard.apply(exchange -> ConfigChanges.withBody(exchange, (basedOn, body) -> {
            String name = AdminExchanges.pathParameter(exchange, kind.parameter);
            edit(exchange, basedOn, kind, name, "DELETE", document -> {
                JsonNode items = document.at(kind.pointer);
                if (kind.keyed) {
                    return items.isObject() && ((ObjectNode) items).remove(name) != null ? RequestBody.none() : null;
                }
                int index = items.isArray() ? indexOf((ArrayNode) items, name) : -1;
                if (index < 0) {
                    return null;
                }
                ((ArrayNode) items).remove(index);
                return RequestBody.none();
            });
        }));
    }

    private interface Edit {
        /**
         * Changes the document and says where its problems stand in the request; null when the
         * resource to change is not there.
         */
        RequestBody apply(ObjectNode document);
    }

    private void edit(HttpServerExchange exchange, long basedOn, Kind kind, String name, String method, Edit edit) {
        AdminExchanges.respond(exchange, store.version(basedOn), Reason.GRID_UNAVAILABLE, found -> {
            if (found.isEmpty()) {
                changes.conflictOrMissing(exchange, basedOn);
                return AdminExchanges.LATER;
            }
            ObjectNode document = SharedDocument.tree(found.get().document());
            RequestBody sent = edit.apply(document);
            if (sent == null) {
                LocalReply.send(exchange, Reason.NOT_FOUND, "no " + kind.noun + " " + name + " in version " + basedOn);
                return null;
            }
            if (kind == Kind.POLICIES && !document.at(kind.pointer).has(name)) {
                Set<String> users = SharedDocument.policyUsers(document, name);
                if (!users.isEmpty()) {
                    // Validation would point at the references; the answer also names the routes to change.
                    changes.refuse(exchange, SharedDocument.text(document), "policy " + name + " is still used by "
                            + (users.size() == 1 ? "route " : "routes ") + String.join(", ", users)
                            + ": remove it from them first");
                    return null;
                }
            }
            changes.commit(exchange, found.get(), SharedDocument.text(document),
                    "admin API: " + method + " " + kind.pointer.substring(kind.pointer.lastIndexOf('/')) + "/" + name, sent);
            return AdminExchanges.LATER;
        });
    }

    private static JsonNode find(JsonNode document, Kind kind, String name) {
        JsonNode items = document.at(kind.pointer);
        if (kind.keyed) {
            JsonNode item = items.get(name);
            return item == null ? null : named(kind, name, item);
        }
        int index = items.isArray() ? indexOf((ArrayNode) items, name) : -1;
        return index < 0 ? null : items.get(index);
    }

    /** An item of a mapping as the API shows it: its name first, then its fields. */
    private static ObjectNode named(Kind kind, String name, JsonNode item) {
        return JSON.createObjectNode().put(kind.parameter, name)
                .setAll(item.isObject() ? (ObjectNode) item : JSON.createObjectNode());
    }

    /** The mapping or sequence that holds the kind's items, made (with its parents) when missing. */
    private static JsonNode container(ObjectNode document, Kind kind) {
        String[] steps = kind.pointer.substring(1).split("/");
        ObjectNode parent = document;
        for (int i = 0; i < steps.length - 1; i++) {
            parent = parent.get(steps[i]) instanceof ObjectNode object ? object : parent.putObject(steps[i]);
        }
        JsonNode items = parent.get(kind.field());
        if (kind.keyed) {
            return items instanceof ObjectNode ? items : parent.putObject(kind.field());
        }
        return items instanceof ArrayNode ? items : parent.putArray(kind.field());
    }

    private static int indexOf(ArrayNode items, String id) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).path("id").asText("").equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /** A name as one segment of a JSON pointer (RFC 6901). */
    private static String pointerSegment(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
