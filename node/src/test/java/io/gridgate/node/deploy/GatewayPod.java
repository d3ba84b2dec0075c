package io.gridgate.node.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pod template of the gateway's StatefulSet, and what its one container sees and declares. */
final class GatewayPod {

    private static final Pattern DEPENDENT_VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private final JsonNode statefulSet;

    GatewayPod(JsonNode statefulSet) {
        this.statefulSet = statefulSet;
    }

    JsonNode statefulSet() {
        return statefulSet;
    }

    JsonNode spec() {
        return statefulSet.at("/spec/template/spec");
    }

    JsonNode labels() {
        return statefulSet.at("/spec/template/metadata/labels");
    }

    JsonNode container() {
        JsonNode containers = spec().path("containers");
        if (containers.size() != 1) {
            throw new AssertionError(containers.size() + " containers in the pod (expected: 1)");
        }
        return containers.get(0);
    }

    /** A port as a Service's {@code targetPort} or a probe's {@code port} names it: a number or a container port's name. */
    int containerPort(JsonNode reference) {
        if (reference.isInt()) {
            return reference.asInt();
        }
        for (JsonNode port : container().path("ports")) {
            if (port.path("name").asText().equals(reference.asText())) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + reference);
    }

    /** The container port with this name. */
    int containerPort(String name) {
        return containerPort(TextNode.valueOf(name));
    }

    /** The volume mounted at {@code mountPath}, or empty. */
    Optional<String> volumeMountedAt(String mountPath) {
        for (JsonNode mount : container().path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(mountPath)) {
                return Optional.of(mount.path("name").asText());
            }
        }
        return Optional.empty();
    }

    /** The pod-level volume with this name, or a missing node. */
    JsonNode volume(String name) {
        for (JsonNode volume : spec().path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        return MissingNode.getInstance();
    }

    /**
     * The environment the node's process sees: the image's, then the container's list in order, as
     * the kubelet builds it ({@code $(VAR)} refers to a variable defined earlier in the list).
     *
     * @param fields the downward API's values, by field path
     * @param secrets the value of a Secret's key, by Secret name and key
     */
    Map<String, String> env(Map<String, String> imageEnv, Map<String, String> fields,
                            BiFunction<String, String, String> secrets) {
        Map<String, String> env = new LinkedHashMap<>(imageEnv);
        Map<String, String> declared = new HashMap<>();
        for (JsonNode variable : container().path("env")) {
            String name = variable.path("name").asText();
            String value;
            if (variable.has("value")) {
                value = expand(variable.path("value").asText(), declared);
            } else if (variable.at("/valueFrom/fieldRef").isObject()) {
                String field = variable.at("/valueFrom/fieldRef/fieldPath").asText();
                value = fields.get(field);
                if (value == null) {
                    throw new AssertionError(name + ": no sample value for field " + field);
                }
            } else if (variable.at("/valueFrom/secretKeyRef").isObject()) {
                JsonNode ref = variable.at("/valueFrom/secretKeyRef");
                value = secrets.apply(ref.path("name").asText(), ref.path("key").asText());
            } else {
                throw new AssertionError(name + ": a source this test does not read: " + variable);
            }
            declared.put(name, value);
            env.put(name, value);
        }
        return env;
    }

    private static String expand(String text, Map<String, String> declared) {
        Matcher matcher = DEPENDENT_VARIABLE.matcher(text);
        return matcher.replaceAll(m -> Matcher.quoteReplacement(declared.getOrDefault(m.group(1), m.group())));
    }
}
