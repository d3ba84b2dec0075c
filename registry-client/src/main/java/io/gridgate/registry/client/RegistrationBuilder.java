package io.gridgate.registry.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Collects and checks a registration. Each setter rejects a bad value at once, naming the field,
 * the value and what was expected; {@link #start()} checks that the required ones were set.
 * Not thread-safe: build on one thread.
 */
public final class RegistrationBuilder {

    static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    static final Pattern ZONE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{16,256}");
    private static final int MAX_METADATA_ENTRIES = 32;
    private static final int MAX_METADATA_KEY = 64;
    private static final int MAX_METADATA_VALUE = 256;
    private static final Duration MIN_TTL = Duration.ofSeconds(1);
    private static final Duration MAX_TTL = Duration.ofHours(1);
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(1);

    private final List<URI> adminUrls;
    private final String token;
    private String service;
    private String instanceId;
    private String host;
    private Integer port;
    private String scheme = "http";
    private int weight = 1;
    private Optional<String> zone = Optional.empty();
    private Map<String, String> metadata = Map.of();
    private Duration ttl = Duration.ofSeconds(30);
    private Duration timeout = Duration.ofSeconds(3);

    RegistrationBuilder(List<URI> adminUrls, String token) {
        Objects.requireNonNull(adminUrls, "adminUrls");
        if (adminUrls.isEmpty()) {
            throw new IllegalArgumentException("adminUrls: [] (expected: at least one admin URL)");
        }
        for (int i = 0; i < adminUrls.size(); i++) {
            URI url = Objects.requireNonNull(adminUrls.get(i), "adminUrls[" + i + "]");
            boolean http = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
            if (!http || url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("adminUrls[" + i + "]: " + url
                        + " (expected: an http or https URL of a node's admin port, such as http://gw-1:8081)");
            }
        }
        Objects.requireNonNull(token, "token");
        if (!TOKEN.matcher(token).matches()) {
            // Never echo a secret, even a wrong one.
            throw new IllegalArgumentException("token: a " + token.length()
                    + "-character value (expected: the node's admin.registrationToken, 16 to 256 visible ASCII characters)");
        }
        this.adminUrls = List.copyOf(adminUrls);
        this.token = token;
    }

    /** The service name, as routes refer to it; required. */
    public RegistrationBuilder service(String service) {
        this.service = matching("service", service, SERVICE);
        return this;
    }

    /** A stable id for this instance, unique within the service; by default a random UUID. */
    public RegistrationBuilder instanceId(String instanceId) {
        this.instanceId = matching("instanceId", instanceId, INSTANCE);
        return this;
    }

    /** The host name or IP address the gateway connects to; required. */
    public RegistrationBuilder host(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || host.length() > 253 || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
            throw new IllegalArgumentException("host: " + shown(host) + " (expected: a host name or IP address)");
        }
        this.host = host;
        return this;
    }

    /** The port the gateway connects to; required. */
    public RegistrationBuilder port(int port) {
        this.port = inRange("port", port, 1, 65535);
        return this;
    }

    /** {@code http} (the default) or {@code https}. */
    public RegistrationBuilder scheme(String scheme) {
        Objects.requireNonNull(scheme, "scheme");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme: " + shown(scheme) + " (expected: http or https)");
        }
        this.scheme = scheme;
        return this;
    }

    /** The instance's relative share of traffic under weighted balancing, 1 (the default) to 100. */
    public RegistrationBuilder weight(int weight) {
        this.weight = inRange("weight", weight, 1, 100);
        return this;
    }

    /** The failure zone the instance runs in, for zone-aware routing; none by default. */
    public RegistrationBuilder zone(String zone) {
        this.zone = Optional.of(matching("zone", zone, ZONE));
        return this;
    }

    /** Free-form labels, at most 32, with keys of at most 64 and values of at most 256 characters. */
    public RegistrationBuilder metadata(Map<String, String> metadata) {
        Objects.requireNonNull(metadata, "metadata");
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("metadata: " + metadata.size() + " entries (expected: at most "
                    + MAX_METADATA_ENTRIES + ")");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        metadata.forEach((key, value) -> {
            if (key == null || key.length() > MAX_METADATA_KEY) {
                throw new IllegalArgumentException("metadata: key " + shown(key) + " (expected: a key of at most "
                        + MAX_METADATA_KEY + " characters)");
            }
            if (value == null || value.length() > MAX_METADATA_VALUE) {
                throw new IllegalArgumentException("metadata/" + key + ": " + shown(value)
                        + " (expected: a string of at most " + MAX_METADATA_VALUE + " characters)");
            }
            copy.put(key, value);
        });
        this.metadata = Collections.unmodifiableMap(copy);
        return this;
    }

    /**
     * How long after its last heartbeat the gateway stops routing to the instance, in whole
     * seconds from 1 s to 1 h; 30 s by default. The client renews every third of it.
     */
    public RegistrationBuilder ttl(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: 1s to 1h)");
        }
        if (ttl.toNanosPart() != 0) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: whole seconds)");
        }
        this.ttl = ttl;
        return this;
    }

    /**
     * The bound on each call to a node, connection included, from 100 ms to 1 min; 3 s by
     * default. A renewal is also bounded by the renewal interval, a third of the TTL.
     */
    public RegistrationBuilder timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: 100ms to 1m)");
        }
        this.timeout = timeout;
        return this;
    }

    /**
     * Registers the instance at once, then renews it in the background.
     *
     * @throws IllegalStateException when a required field (service, host, port) was not set
     * @throws RegistrationException when a node refuses the registration with a 4xx
     */
    public GridgateRegistration start() {
        List<String> missing = new ArrayList<>();
        if (service == null) {
            missing.add("service: missing (expected: a name matching " + SERVICE + ")");
        }
        if (host == null) {
            missing.add("host: missing (expected: the host name or IP address the gateway connects to)");
        }
        if (port == null) {
            missing.add("port: missing (expected: 1 to 65535)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("cannot register: " + String.join("; ", missing));
        }
        String id = instanceId != null ? instanceId : UUID.randomUUID().toString();
        Instance instance = new Instance(service, id, scheme, host, port, weight, zone, metadata, ttl);
        GridgateRegistration registration = new GridgateRegistration(instance, adminUrls, token, timeout);
        try {
            registration.registerFirst();
        } catch (RuntimeException e) {
            registration.abandon();
            throw e;
        }
        registration.scheduleRenewals();
        return registration;
    }

    private static String matching(String field, String value, Pattern pattern) {
        Objects.requireNonNull(value, field);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + ": " + shown(value) + " (expected: a value matching " + pattern + ")");
        }
        return value;
    }

    private static int inRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: " + min + " to " + max + ")");
        }
        return value;
    }

    private static String shown(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder quoted = Json.quote(value.length() > 80 ? value.substring(0, 80) : value, new StringBuilder());
        return value.length() > 80 ? quoted.insert(quoted.length() - 1, "...").toString() : quoted.toString();
    }
}
