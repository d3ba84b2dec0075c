package io.gridgate.registry.client;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

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

    GridgateRegistration(Instance instance, List<URI> adminUrls, String token, Duration timeout) {
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
    public static RegistrationBuilder builder(URI adminUrl, String token) {
        return builder(List.of(Objects.requireNonNull(adminUrl, "adminUrl")), token);
    }

    /** Starts building the registration of an instance with any of these nodes of one cluster, tried in order. */
    public static RegistrationBuilder builder(List<URI> adminUrls, String token) {
        return new RegistrationBuilder(adminUrls, token);
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

    void registerFirst() {
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

    /** Stops the scheduler of a registration that never started. */
    void abandon() {
        scheduler.shutdownNow();
    }

    void scheduleRenewals() {
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
}
