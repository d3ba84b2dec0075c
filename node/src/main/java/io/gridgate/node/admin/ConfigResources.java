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

import static io.gridgate.node.admin.AdminExchanges.JSON;

/**
 * The routes, services and consumers of the shared configuration, one at a time: each change is a
 * whole new version of the document, made, checked and stored as {@link ConfigHandlers} makes one.
 */
final class ConfigResources {

    private final ConfigHandlers handlers;
    private final ConfigStore store;
    private final LiveConfig live;

    ConfigResources(ConfigHandlers handlers, ConfigStore store, LiveConfig live) {
        this.handlers = handlers;
        this.store = store;
        this.live = live;
    }

    // ---- one resource at a time -----------------------------------------------------------------

    /** A kind of resource in the document: where its items live and how one is named. */
    enum Kind {
        ROUTES("route", "id", "/routes"),
        SERVICES("service", "name", "/services"),
        CONSUMERS("consumer", "id", "/auth/consumers");

        final String noun;
        final String parameter;
        final String pointer;

        Kind(String noun, String parameter, String pointer) {
            this.noun = noun;
            this.parameter = parameter;
            this.pointer = pointer;
        }
    }

    HttpHandler list(Kind kind) {
        return handlers.guarded(exchange -> AdminExchanges.respond(exchange, store.current(), Reason.GRID_UNAVAILABLE, found -> {
            ConfigVersion version = found.orElse(live.running().version());
            exchange.getResponseHeaders().put(Headers.ETAG, "\"" + version.version() + "\"");
            ObjectNode body = JSON.createObjectNode().put("version", version.version());
            JsonNode document = SharedDocument.redacted(SharedDocument.tree(version.document()));
            JsonNode items = document.at(kind.pointer);
            if (kind == Kind.SERVICES) {
                ArrayNode list = body.putArray("services");
                items.fields().forEachRemaining(e -> list.addObject().put("name", e.getKey()).setAll(
                        e.getValue().isObject() ? (ObjectNode) e.getValue() : JSON.createObjectNode()));
            } else {
                body.set(kind == Kind.ROUTES ? "routes" : "consumers", items.isArray() ? items : JSON.createArrayNode());
            }
            return body;
        }));
    }

    HttpHandler get(Kind kind) {
        return handlers.guarded(exchange -> {
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
        return handlers.guarded(exchange -> ConfigHandlers.withBody(exchange, (basedOn, body) -> {
            String name = AdminExchanges.pathParameter(exchange, kind.parameter);
            String expected = "a JSON object: the " + kind.noun;
            JsonNode item;
            try {
                item = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                ConfigHandlers.notJson(exchange, e, expected);
                return;
            }
            if (!(item instanceof ObjectNode object)) {
                AdminExchanges.reject(exchange, Reason.INVALID_REQUEST, "the body must be " + expected,
                        List.of(new FieldError("", item == null || item.isMissingNode() ? "empty body" : item.getNodeType()
                                .name().toLowerCase(Locale.ROOT), expected)));
                return;
            }
            if (kind != Kind.SERVICES) {
                JsonNode id = object.get("id");
                if (id != null && !id.asText().equals(name)) {
                    AdminExchanges.reject(exchange, Reason.INVALID_REQUEST,
                            new FieldError("/id", id.toString(), "\"" + name + "\", the id in the path, or no id"));
                    return;
                }
                ObjectNode named = JSON.createObjectNode().put("id", name);
                named.setAll(object);
                object = named;
            }
            ObjectNode newItem = object;
            String text = new String(body, StandardCharsets.UTF_8);
            edit(exchange, basedOn, kind, name, "PUT", document -> {
                if (kind == Kind.SERVICES) {
                    ObjectNode services = document.has("services") && document.get("services").isObject()
                            ? (ObjectNode) document.get("services") : document.putObject("services");
                    services.set(name, newItem);
                    return RequestBody.json(text, "/services/" + pointerSegment(name));
                }
                ArrayNode items = array(document, kind);
                int index = indexOf(items, name);
                if (index >= 0) {
                    items.set(index, newItem);
                } else {
                    index = items.size();
                    items.add(newItem);
                }
                return RequestBody.json(text, kind.pointer + "/" + index);
            });
        }));
    }

    HttpHandler delete(Kind kind) {
        return handlers.guarded(exchange -> ConfigHandlers.withBody(exchange, (basedOn, body) -> {
            String name = AdminExchanges.pathParameter(exchange, kind.parameter);
            edit(exchange, basedOn, kind, name, "DELETE", document -> {
                if (kind == Kind.SERVICES) {
                    JsonNode services = document.path("services");
                    return services.isObject() && ((ObjectNode) services).remove(name) != null ? RequestBody.none() : null;
                }
                JsonNode items = document.at(kind.pointer);
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
                handlers.conflictOrMissing(exchange, basedOn);
                return AdminExchanges.LATER;
            }
            ObjectNode document = SharedDocument.tree(found.get().document());
            RequestBody sent = edit.apply(document);
            if (sent == null) {
                LocalReply.send(exchange, Reason.NOT_FOUND, "no " + kind.noun + " " + name + " in version " + basedOn);
                return null;
            }
            handlers.commit(exchange, found.get(), SharedDocument.text(document),
                    "admin API: " + method + " " + kind.pointer.substring(kind.pointer.lastIndexOf('/')) + "/" + name, sent);
            return AdminExchanges.LATER;
        });
    }

    private static JsonNode find(JsonNode document, Kind kind, String name) {
        if (kind == Kind.SERVICES) {
            JsonNode service = document.path("services").get(name);
            return service == null ? null : JSON.createObjectNode().put("name", name)
                    .setAll(service.isObject() ? (ObjectNode) service : JSON.createObjectNode());
        }
        JsonNode items = document.at(kind.pointer);
        int index = items.isArray() ? indexOf((ArrayNode) items, name) : -1;
        return index < 0 ? null : items.get(index);
    }

    private static ArrayNode array(ObjectNode document, Kind kind) {
        ObjectNode parent = document;
        if (kind == Kind.CONSUMERS) {
            parent = document.has("auth") && document.get("auth").isObject()
                    ? (ObjectNode) document.get("auth") : document.putObject("auth");
        }
        String field = kind == Kind.ROUTES ? "routes" : "consumers";
        return parent.has(field) && parent.get(field).isArray() ? (ArrayNode) parent.get(field) : parent.putArray(field);
    }

    /** A name as one segment of a JSON pointer (RFC 6901). */
    private static String pointerSegment(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static int indexOf(ArrayNode items, String id) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).path("id").asText("").equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
