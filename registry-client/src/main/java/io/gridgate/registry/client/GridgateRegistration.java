package io.gridgate.registry.client;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Keeps one instance of a service registered with a Gridgate cluster: registers it when started,
 * renews it every third of its TTL and deregisters it when closed.
 *
 * <pre>{@code
 * GridgateRegistration registration = GridgateRegistration
 *         .builder(List.of(URI.create("http://gw-1:8081"), URI.create("http://gw-2:8081")), token)
 *         .service("orders").host("10.0.0.5").port(8080)
 *         .start();
 * // ... on shutdown, before the server stops taking requests:
 * registration.close();
 * }</pre>
 *
 * <p>Every node of a cluster shares one registry, so any admin URL will do; several give
 * availability. Calls go to one node until it fails, then to the next in the list.
 *
 * <p>Failures, stated: if a node refuses the first registration with a 4xx, {@link Builder#start()}
 * throws a {@link RegistrationException}, since that is a configuration error. If no node can be
 * reached at start, {@code start()} logs a warning and returns; the client keeps trying at every
 * renewal, and {@link #lastOutcome()} says how it is going. A failed renewal is logged and retried
 * at the next one (a third of the TTL later) through the next admin URL, so an instance survives one
 * failed renewal in a row, and usually two, before the gateway stops routing to it.
 *
 * <p>Thread-safe. Renewals run on one daemon thread per registration.
 */
public final class GridgateRegistration implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GridgateRegistration.class.getName());
    private static final Clock CLOCK = Clock.systemUTC();

    private final Instance instance;
    private final List<URI> adminUrls;
    private final List<URI> instanceUrls;
    private final AdminCalls calls;
    private final String body;
    private final Duration timeout;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;
    /** Index of the admin URL in use: kept while calls succeed, advanced when one fails. */
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private RegistrationOutcome lastOutcome;

    private GridgateRegistration(Instance instance, List<URI> adminUrls, String token, Duration timeout) {
        this.instance = instance;
        this.adminUrls = adminUrls;
        this.instanceUrls = adminUrls.stream().map(url -> instanceUrl(url, instance)).toList();
        this.calls = new AdminCalls(token, timeout);
        this.body = instance.json();
        this.timeout = timeout;
        this.interval = instance.ttl().dividedBy(3);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "gridgate-registration-" + instance.service() + "/" + instance.id());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts building the registration of an instance with the node at {@code adminUrl}. */
    public static Builder builder(URI adminUrl, String token) {
        return builder(List.of(Objects.requireNonNull(adminUrl, "adminUrl")), token);
    }

    /** Starts building the registration of an instance with any of these nodes of one cluster, tried in order. */
    public static Builder builder(List<URI> adminUrls, String token) {
        return new Builder(adminUrls, token);
    }

    /** The service this instance belongs to. */
    public String service() {
        return instance.service();
    }

    /** The instance id, as the gateway lists it; generated from a random UUID unless the builder set one. */
    public String instanceId() {
        return instance.id();
    }

    /** The latest call's outcome: the first registration, a renewal, or the deregistration. */
    public synchronized RegistrationOutcome lastOutcome() {
        return lastOutcome;
    }

    /**
     * Stops renewing and deregisters, best effort: it waits for a renewal in flight (so none can land
     * after the deregistration) and then for the {@code DELETE}, each at most the call timeout. If
     * no node answers, the gateway drops the instance when its TTL lapses. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                scheduler.shutdownNow();
            }
            deregister();
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "GridgateRegistration[" + instance.describe() + ", adminUrls=" + adminUrls + ", closed=" + closed.get() + "]";
    }

    private void registerFirst() {
        for (int index = 0; index < instanceUrls.size(); index++) {
            try {
                AdminCalls.Reply reply = calls.put(instanceUrls.get(index), body, timeout);
                if (isSuccess(reply.status())) {
                    current.set(index);
                    record(index, true, reply.status(), reply.status() == 201 ? "created" : "renewed");
                    LOG.info(() -> "registered " + instance.describe() + " through " + adminUrls.get(current.get())
                            + "; renewing every " + interval.toMillis() + " ms");
                    return;
                }
                RegistrationOutcome outcome = record(index, false, reply.status(), shown(reply));
                if (reply.status() >= 400 && reply.status() < 500) {
                    throw new RegistrationException(instance.describe(), adminUrls.get(index), reply.status(), reply.body());
                }
                warn("registering", index, outcome);
            } catch (IOException e) {
                warn("registering", index, record(index, false, -1, AdminCalls.describe(e)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while registering " + instance.describe(), e);
            }
        }
        current.set(0);
        LOG.warning(() -> "no gateway node took the registration of " + instance.describe() + " yet; retrying every "
                + interval.toMillis() + " ms through " + adminUrls);
    }

    private void scheduleRenewals() {
        long period = interval.toNanos();
        scheduler.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.NANOSECONDS);
    }

    /** One renewal, through the admin URL in use; never throws, since that would end the schedule. */
    private void renew() {
        if (closed.get()) {
            return;
        }
        int index = current.get();
        try {
            AdminCalls.Reply reply = calls.put(instanceUrls.get(index), body, min(timeout, interval));
            if (!isSuccess(reply.status())) {
                failed(index, reply.status(), shown(reply));
                return;
            }
            int failuresBefore = lastOutcome().consecutiveFailures();
            record(index, true, reply.status(), reply.status() == 201 ? "created" : "renewed");
            if (reply.status() == 201) {
                LOG.info(() -> "registered " + instance.describe() + " anew through " + adminUrls.get(index)
                        + ": the cluster did not know it (its TTL had lapsed, or the cluster restarted)");
            } else if (failuresBefore > 0) {
                LOG.info(() -> "renewed " + instance.describe() + " through " + adminUrls.get(index) + " after "
                        + failuresBefore + " failed attempt(s)");
            }
        } catch (IOException e) {
            failed(index, -1, AdminCalls.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close() is waiting for this renewal: stop here.
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "renewing " + instance.describe() + " failed unexpectedly; trying again later", e);
            failed(index, -1, AdminCalls.describe(e));
        }
    }

    private void failed(int index, int status, String detail) {
        RegistrationOutcome outcome = record(index, false, status, detail);
        current.compareAndSet(index, (index + 1) % adminUrls.size());
        warn("renewing", index, outcome);
    }

    private void deregister() throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int first = current.get();
        for (int k = 0; k < adminUrls.size() && deadline - System.nanoTime() > 0; k++) {
            int index = (first + k) % adminUrls.size();
            try {
                AdminCalls.Reply reply = calls.delete(instanceUrls.get(index), Duration.ofNanos(deadline - System.nanoTime()));
                if (reply.status() == 204 || reply.status() == 404) {
                    String detail = reply.status() == 204 ? "deregistered" : "not registered: its TTL had lapsed, or another client removed it";
                    record(index, true, reply.status(), detail);
                    LOG.info(() -> instance.describe() + " " + detail + " (through " + adminUrls.get(index) + ")");
                    return;
                }
                warn("deregistering", index, record(index, false, reply.status(), shown(reply)));
            } catch (IOException e) {
                warn("deregistering", index, record(index, false, -1, AdminCalls.describe(e)));
            }
        }
        LOG.warning(() -> "could not deregister " + instance.describe() + "; the gateway stops routing to it when its TTL of "
                + instance.ttl().toSeconds() + " s lapses");
    }

    /** Records a call's outcome; {@code status} is -1 when no reply came. */
    private synchronized RegistrationOutcome record(int index, boolean succeeded, int status, String detail) {
        int failures = succeeded ? 0 : (lastOutcome == null ? 0 : lastOutcome.consecutiveFailures()) + 1;
        lastOutcome = new RegistrationOutcome(CLOCK.instant(), adminUrls.get(index), succeeded,
                status < 0 ? OptionalInt.empty() : OptionalInt.of(status), detail, failures);
        return lastOutcome;
    }

    private void warn(String action, int index, RegistrationOutcome outcome) {
        LOG.warning(() -> action + " " + instance.describe() + " through " + adminUrls.get(index) + " failed"
                + outcome.status().stream().mapToObj(s -> " with HTTP " + s).findFirst().orElse("") + ": "
                + outcome.detail() + " (" + outcome.consecutiveFailures() + " in a row)");
    }

    private static String shown(AdminCalls.Reply reply) {
        return reply.body().isBlank() ? "(no body)" : reply.body();
    }

    private static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static URI instanceUrl(URI adminUrl, Instance instance) {
        String base = adminUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + instance.path());
    }

    /**
     * Collects and checks a registration. Each setter rejects a bad value at once, naming the field,
     * the value and what was expected; {@link #start()} checks that the required ones were set.
     * Not thread-safe: build on one thread.
     */
    public static final class Builder {

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

        private Builder(List<URI> adminUrls, String token) {
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
        public Builder service(String service) {
            this.service = matching("service", service, SERVICE);
            return this;
        }

        /** A stable id for this instance, unique within the service; by default a random UUID. */
        public Builder instanceId(String instanceId) {
            this.instanceId = matching("instanceId", instanceId, INSTANCE);
            return this;
        }

        /** The host name or IP address the gateway connects to; required. */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank() || host.length() > 253 || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
                throw new IllegalArgumentException("host: " + shown(host) + " (expected: a host name or IP address)");
            }
            this.host = host;
            return this;
        }

        /** The port the gateway connects to; required. */
        public Builder port(int port) {
            this.port = inRange("port", port, 1, 65535);
            return this;
        }

        /** {@code http} (the default) or {@code https}. */
        public Builder scheme(String scheme) {
            Objects.requireNonNull(scheme, "scheme");
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("scheme: " + shown(scheme) + " (expected: http or https)");
            }
            this.scheme = scheme;
            return this;
        }

        /** The instance's relative share of traffic under weighted balancing, 1 (the default) to 100. */
        public Builder weight(int weight) {
            this.weight = inRange("weight", weight, 1, 100);
            return this;
        }

        /** The failure zone the instance runs in, for zone-aware routing; none by default. */
        public Builder zone(String zone) {
            this.zone = Optional.of(matching("zone", zone, ZONE));
            return this;
        }

        /** Free-form labels, at most 32, with keys of at most 64 and values of at most 256 characters. */
        public Builder metadata(Map<String, String> metadata) {
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
        public Builder ttl(Duration ttl) {
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
        public Builder timeout(Duration timeout) {
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
                registration.scheduler.shutdownNow();
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
}
