package io.gridgate.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.ServiceInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a heartbeat body into a {@link ServiceInstance}, collecting every problem with its
 * JSON path, so a service learns all that is wrong with its registration at once.
 */
final class RegistrationRequest {

    static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> FIELDS = Set.of("host", "port", "scheme", "weight", "zone", "metadata", "ttlSeconds");
    private static final int MAX_METADATA_ENTRIES = 32;
    private static final int MAX_METADATA_CHARS = 256;
    static final int MAX_TTL_SECONDS = 3600;

    private final List<FieldError> errors = new ArrayList<>();

    private RegistrationRequest() {
    }

    /** The instance, or the list of problems. */
    record Result(ServiceInstance instance, List<FieldError> errors) {
    }

    static Result parse(String service, String id, JsonNode body) {
        RegistrationRequest request = new RegistrationRequest();
        ServiceInstance instance = request.read(service, id, body);
        return new Result(request.errors.isEmpty() ? instance : null, List.copyOf(request.errors));
    }

    private ServiceInstance read(String service, String id, JsonNode body) {
        if (!(body instanceof ObjectNode object)) {
            errors.add(new FieldError("", shown(body), "a JSON object"));
            return null;
        }
        object.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError("/" + name, "unknown field", "one of host, port, scheme, weight, zone, metadata, ttlSeconds"));
            }
        });
        String host = text(object, "host", null, "a host name or IP address");
        if (host != null && (host.isBlank() || host.length() > 253 || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@'))) {
            errors.add(new FieldError("/host", shown(object.get("host")), "a host name or IP address"));
        }
        int port = integer(object, "port", null, 1, 65535);
        String scheme = text(object, "scheme", "http", "http or https");
        if (scheme != null && !scheme.equals("http") && !scheme.equals("https")) {
            errors.add(new FieldError("/scheme", shown(object.get("scheme")), "http or https"));
        }
        int weight = integer(object, "weight", 1, 1, 100);
        String zone = text(object, "zone", "", "a zone name");
        if (zone != null && !zone.isEmpty() && !ZONE.matcher(zone).matches()) {
            errors.add(new FieldError("/zone", shown(object.get("zone")), "a zone name matching " + ZONE));
        }
        int ttl = integer(object, "ttlSeconds", 30, 1, MAX_TTL_SECONDS);
        Map<String, String> metadata = metadata(object.get("metadata"));
        if (!errors.isEmpty()) {
            return null;
        }
        return new ServiceInstance(service, id, scheme, host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                port, weight, zone.isEmpty() ? Optional.empty() : Optional.of(zone), metadata, Duration.ofSeconds(ttl));
    }

    private String text(ObjectNode object, String field, String dflt, String expected) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            if (dflt == null) {
                errors.add(new FieldError("/" + field, "missing", expected));
            }
            return dflt;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("/" + field, shown(node), expected));
            return dflt;
        }
        return node.textValue();
    }

    private int integer(ObjectNode object, String field, Integer dflt, int min, int max) {
        JsonNode node = object.get(field);
        String expected = "an integer from " + min + " to " + max;
        if (node == null || node.isNull()) {
            if (dflt == null) {
                errors.add(new FieldError("/" + field, "missing", expected));
                return min;
            }
            return dflt;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            errors.add(new FieldError("/" + field, shown(node), expected));
            return min;
        }
        return node.intValue();
    }

    private Map<String, String> metadata(JsonNode node) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("/metadata", shown(node), "an object of strings"));
            return metadata;
        }
        if (node.size() > MAX_METADATA_ENTRIES) {
            errors.add(new FieldError("/metadata", node.size() + " entries", "at most " + MAX_METADATA_ENTRIES));
            return metadata;
        }
        node.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (!value.isTextual() || value.textValue().length() > MAX_METADATA_CHARS || entry.getKey().length() > 64) {
                errors.add(new FieldError("/metadata/" + entry.getKey(), shown(value), "a string of at most "
                        + MAX_METADATA_CHARS + " characters, under a key of at most 64"));
            } else {
                metadata.put(entry.getKey(), value.textValue());
            }
        });
        return metadata;
    }

    private static String shown(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "empty body"; // what Jackson reads from no bytes at all
        }
        String text = node.isContainerNode() ? (node.isArray() ? "[...]" : "{...}") : node.toString();
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
