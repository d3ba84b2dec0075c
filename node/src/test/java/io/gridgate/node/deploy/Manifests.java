package io.gridgate.node.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The manifests under {@code k8s/}: every document of every file (several per file allowed), and
 * the kustomization that lists them.
 */
final class Manifests {

    static final String KUSTOMIZATION = "kustomization.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, List<JsonNode>> documentsByFile;

    private Manifests(Map<String, List<JsonNode>> documentsByFile) {
        this.documentsByFile = documentsByFile;
    }

    static Manifests load(Path dir) {
        Map<String, List<JsonNode>> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(dir)) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
                files.put(path.getFileName().toString(), documents(path));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifests(files);
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNextValue()) {
                JsonNode document = it.nextValue();
                if (document != null && document.isObject()) {
                    documents.add(document);
                }
            }
        }
        return documents;
    }

    /** The files holding Kubernetes objects, by name; the kustomization is not one of them. */
    List<String> resourceFiles() {
        return documentsByFile.keySet().stream().filter(name -> !name.equals(KUSTOMIZATION)).toList();
    }

    JsonNode kustomization() {
        List<JsonNode> documents = documentsByFile.getOrDefault(KUSTOMIZATION, List.of());
        if (documents.size() != 1) {
            throw new AssertionError(KUSTOMIZATION + ": " + documents.size() + " documents (expected: 1)");
        }
        return documents.get(0);
    }

    /** Every Kubernetes object, in file order. */
    List<JsonNode> objects() {
        return resourceFiles().stream().flatMap(file -> documentsByFile.get(file).stream()).toList();
    }

    List<JsonNode> ofKind(String kind) {
        return objects().stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    /** The one object of this kind; an error when there are none or several. */
    JsonNode only(String kind) {
        List<JsonNode> found = ofKind(kind);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " objects of kind " + kind + " (expected: 1)");
        }
        return found.get(0);
    }

    JsonNode named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(o -> o.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** A Secret's value as the pod would see it, from {@code stringData} or base64 {@code data}. */
    String secretValue(String secret, String key) {
        JsonNode object = named("Secret", secret);
        if (object.at("/stringData").has(key)) {
            return object.at("/stringData").get(key).asText();
        }
        if (object.at("/data").has(key)) {
            return new String(Base64.getDecoder().decode(object.at("/data").get(key).asText()), StandardCharsets.UTF_8);
        }
        throw new AssertionError("Secret " + secret + " has no key " + key);
    }

    /** A ConfigMap's value. */
    String configMapValue(String configMap, String key) {
        JsonNode data = named("ConfigMap", configMap).path("data");
        if (!data.has(key)) {
            throw new AssertionError("ConfigMap " + configMap + " has no key " + key);
        }
        return data.get(key).asText();
    }
}
