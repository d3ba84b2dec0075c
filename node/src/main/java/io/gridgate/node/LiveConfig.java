package io.gridgate.node;

import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.node.config.ClusterConfig;
import io.gridgate.node.config.ConfigDisk;
import io.gridgate.node.config.ConfigException;
import io.gridgate.node.config.ConfigLoader;
import io.gridgate.node.config.ConfigSeed;
import io.gridgate.node.config.GatewayConfig;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shared configuration this node runs, kept in step with the grid: at start it offers what it
 * knows (its disk's copy, else its file's shared sections) and runs whatever version wins; then it
 * applies each new version the grid announces, in order, on one thread of its own, writes it to disk
 * and tells the cluster which version it runs. A version that does not validate on this node (a key
 * file it lacks) is logged, counted in {@link #applyFailures} and skipped: the node keeps running the
 * version before, which the cluster view shows as behind. A version that validates but fails to go in
 * force (a grid call timed out) is tried again with backoff until it succeeds or a newer one comes.
 * Whenever the node may have diverged from the grid ({@link #resync}, and every
 * {@link #RESYNC_EVERY} in any case) it compares the grid's version with its own by digest and runs
 * the grid's if they differ, whatever their numbers.
 */
public final class LiveConfig implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveConfig.class.getName());
    private static final Duration GRID_WAIT = Duration.ofSeconds(30);
    /** How often a node compares what it runs with the grid even when nothing said they may differ. */
    static final Duration RESYNC_EVERY = Duration.ofSeconds(30);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(30);

    /** A version and what this node made of it. */
    public record Running(ConfigVersion version, GatewayConfig config) {
    }

    /** Puts a new version in force on this node; called on the config thread only. */
    public interface Applier {
        void apply(Running previous, Running next);
    }

    private final GatewayConfig local;
    private final ConfigStore store;
    private final Optional<ConfigDisk> disk;
    private final Map<String, String> env;
    private final AtomicReference<Running> running;
    private final AtomicLong applyFailures = new AtomicLong();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "gridgate-config");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentSkipListMap<Long, CompletableFuture<Running>> waiting = new ConcurrentSkipListMap<>();
    private final AtomicLong diskWriteFailures = new AtomicLong();
    private volatile long versionOnDisk;
    private volatile Applier applier = (previous, next) -> { };
    private volatile AutoCloseable subscription;
    // Read and written on the config thread only.
    private ConfigVersion retrying;
    private ScheduledFuture<?> retry;
    private String rejectedDigest;

    private LiveConfig(GatewayConfig local, ConfigStore store, Optional<ConfigDisk> disk, Map<String, String> env,
                       Running first) {
        this.local = local;
        this.store = store;
        this.disk = disk;
        this.env = env;
        this.running = new AtomicReference<>(first);
    }

    /**
     * Finds the version in force (offering this node's disk copy or seed first) and validates it
     * for this node; blocks, so call it at start only.
     *
     * @throws ConfigException when the cluster's version does not validate on this node
     */
    public static LiveConfig start(GatewayConfig local, ConfigSeed seed, ConfigStore store, Clock clock,
                                   Map<String, String> env) throws ConfigException {
        Optional<ConfigDisk> disk = local.cluster().dataDir().map(dir -> new ConfigDisk(java.nio.file.Path.of(dir)));
        if (disk.isEmpty()) {
            logNoDataDirectory();
        }
        Optional<ConfigVersion> onDisk = disk.flatMap(ConfigDisk::read);
        ConfigVersion offered = onDisk.orElseGet(() -> ConfigVersion.of(1, seed.document(), clock.millis(), seed.source()));
        ConfigVersion current = join(store.offer(offered));
        onDisk.filter(copy -> !copy.digest().equals(current.digest())).ifPresent(copy -> logDiskCopyNotTaken(copy, current));
        if (!current.digest().equals(ConfigVersion.digestOf(seed.document()))) {
            LOG.warning(() -> "joined a cluster that runs " + (current.version() > 1 ? "a newer" : "another")
                    + " shared configuration than " + seed.source() + ": version " + current.version() + " ("
                    + current.source() + "); the file's services, routes and auth differ from it and are not used"
                    + " (change the cluster through the admin API)");
        }
        GatewayConfig config = ConfigLoader.parseShared("cluster configuration version " + current.version(),
                current.document(), local, env);
        LiveConfig live = new LiveConfig(local, store, disk, env, new Running(current, config));
        live.persist(current);
        return live;
    }

    private static void logNoDataDirectory() {
        LOG.warning("no data directory is set (cluster.dataDir, or the " + ClusterConfig.DATA_DIR_ENV + " environment"
                + " variable): changes made through the admin API live only in the grid and are lost if every node"
                + " stops; set it on each node to keep a copy of every version on disk");
    }

    private static void logDiskCopyNotTaken(ConfigVersion copy, ConfigVersion current) {
        if (copy.epoch() == current.epoch() && copy.version() < current.version()) {
            LOG.info(() -> "the cluster runs version " + current.version() + ", newer than version " + copy.version()
                    + " on this node's disk, which catches up");
            return;
        }
        LOG.warning(() -> "the cluster runs shared configuration version " + current.version() + " (" + current.source()
                + "), not version " + copy.version() + " (" + copy.source() + ", changed at "
                + Instant.ofEpochMilli(copy.changedAtMillis()) + ") on this node's disk: that copy is of an"
                + " earlier line of history, or the cluster changed since it formed, so it is replaced");
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(GRID_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the cluster's configuration", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the cluster's configuration from the grid", e);
        }
    }

    /**
     * Starts following the grid: from now on {@code applier} puts each new version in force. A
     * version stored between {@link #start} and this call is caught up at once.
     */
    public void follow(Applier applier) {
        this.applier = applier;
        subscription = store.subscribe(version -> onConfigThread(() -> announced(version)));
        resync();
        thread.execute(() -> report(running.get().version()));
        thread.scheduleWithFixedDelay(this::resync, RESYNC_EVERY.toMillis(), RESYNC_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the grid's version in force and runs it if this node runs another document (or the same
     * one under another number), even an older-numbered one: call it when this node may have missed or
     * ignored a change, as after a network split heals or the membership changes.
     */
    public void resync() {
        readGrid(false);
    }

    private void readGrid(boolean confirming) {
        store.current().whenComplete((current, error) -> {
            if (error != null) {
                LOG.log(Level.FINE, "cannot read the cluster's configuration to compare it with this node's", error);
                return;
            }
            current.ifPresent(version -> onConfigThread(() -> converge(version, confirming)));
        });
    }

    private void onConfigThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException closed) {
            LOG.log(Level.FINE, "the node stopped following the configuration", closed);
        }
    }

    private void announced(ConfigVersion version) {
        if (version.version() <= running.get().version().version()) {
            return; // announced twice, or behind what this node runs already; a resync judges divergence
        }
        tryToRun(version, 0);
    }

    private void converge(ConfigVersion current, boolean confirmed) {
        ConfigVersion runs = running.get().version();
        if (sameVersion(current, runs) || current.equals(retrying) || current.digest().equals(rejectedDigest)) {
            return; // in step, or already being retried, or it cannot validate here: retrying would only log again
        }
        boolean goingBack = !current.newerThan(runs) || current.version() <= runs.version();
        if (goingBack && !confirmed) {
            // The read may have left before this thread ran a newer announced version; read again, after it.
            readGrid(true);
            return;
        }
        if (current.digest().equals(runs.digest())) {
            relabel(current);
            return;
        }
        if (goingBack) {
            logDivergence(runs, current);
        }
        tryToRun(current, 0);
    }

    private static boolean sameVersion(ConfigVersion a, ConfigVersion b) {
        return a.version() == b.version() && a.epoch() == b.epoch() && a.digest().equals(b.digest());
    }

    /*
     * The cluster's history is what the grid holds; this node's may be from the side of a split that
     * lost the merge. Keeping its own document would leave it serving routes no other node serves, with
     * a view that looks current; taking the grid's loses the changes made on that side, which is why
     * this is a WARNING naming them: they must be made again.
     */
    private static void logDivergence(ConfigVersion runs, ConfigVersion current) {
        LOG.warning(() -> "this node runs shared configuration version " + runs.version() + " (" + shortDigest(runs)
                + ", " + runs.source() + ", changed at " + Instant.ofEpochMilli(runs.changedAtMillis())
                + ") but the cluster holds version " + current.version() + " (" + shortDigest(current) + ", "
                + current.source() + "): they diverged, as after a network split whose other side's history was"
                + " kept; switching from version " + runs.version() + " to the cluster's version "
                + current.version() + ". Changes this node's side made that the cluster's version lacks are lost"
                + " unless made again through the admin API");
    }

    private static String shortDigest(ConfigVersion version) {
        return "digest " + version.digest().substring(0, Math.min(12, version.digest().length()));
    }

    /** The document this node runs, under the number and line of history the grid gives it now. */
    private void relabel(ConfigVersion current) {
        ConfigVersion runs = running.get().version();
        LOG.info(() -> "the cluster holds the document this node runs as version " + current.version() + " (epoch "
                + current.epoch() + "), not " + runs.version() + " (epoch " + runs.epoch() + "); renumbered");
        inForce(new Running(current, running.get().config()));
    }

    private void tryToRun(ConfigVersion version, int failedBefore) {
        cancelRetry();
        Running previous = running.get();
        GatewayConfig config;
        try {
            config = ConfigLoader.parseShared("cluster configuration version " + version.version(), version.document(),
                    local, env);
        } catch (ConfigException e) {
            LOG.severe(() -> "cluster configuration version " + version.version() + " does not validate on this node;"
                    + " still running version " + previous.version().version() + ":\n" + e.getMessage());
            applyFailures.incrementAndGet();
            rejectedDigest = version.digest();
            return;
        }
        Running next = new Running(version, config);
        try {
            applier.apply(previous, next);
        } catch (RuntimeException e) {
            applyFailures.incrementAndGet();
            Duration wait = backoff(failedBefore);
            LOG.log(Level.SEVERE, "cannot put cluster configuration version " + version.version()
                    + " in force; still running version " + previous.version().version() + "; trying again in "
                    + wait.toMillis() + " ms unless a newer version comes first", e);
            retrying = version;
            retry = thread.schedule(() -> tryToRun(version, failedBefore + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        inForce(next);
        LOG.info(() -> "running cluster configuration version " + version.version() + " (" + version.source() + ")");
    }

    /*
     * Only a failure that may pass is retried (a grid call that timed out, a member that left): one
     * that did not validate fails the same way every time. The wait doubles so a grid in trouble is not
     * pressed harder, up to a cap so the node catches up soon after it recovers.
     */
    static Duration backoff(int failedBefore) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(failedBefore, 16));
        return wait.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait;
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
        }
        retry = null;
        retrying = null;
    }

    private void inForce(Running next) {
        ConfigVersion version = next.version();
        // On disk before it counts as running here, so an answer that waited for this node to run a
        // version also means this node's disk holds it (or that its failure was counted and logged).
        persist(version);
        running.set(next);
        report(version);
        var done = waiting.headMap(version.version(), true);
        done.values().forEach(future -> future.complete(next));
        done.clear();
    }

    /*
     * A failed write leaves the node serving the version it runs: readiness does not change, because
     * every node's disk tends to fail alike (a full volume, a read-only remount) and taking them all out
     * of the balancer would turn a risk to a future restart into an outage now. It is SEVERE and counted
     * instead, so an alert can fire while the cluster still holds the version.
     */
    private void persist(ConfigVersion version) {
        disk.ifPresent(d -> {
            try {
                d.write(version);
                versionOnDisk = version.version();
            } catch (IOException | RuntimeException e) {
                diskWriteFailures.incrementAndGet();
                LOG.log(Level.SEVERE, "cannot write cluster configuration version " + version.version() + " to "
                        + d.file() + " (it holds version " + versionOnDisk + "); if every node stopped now, the"
                        + " cluster would lose the versions after that one", e);
            }
        });
    }

    /** How many versions this node could not write to its disk; 0 without a data directory. */
    public long diskWriteFailures() {
        return diskWriteFailures.get();
    }

    /** The version this node last wrote to its disk; 0 before the first write or without a data directory. */
    public long versionOnDisk() {
        return versionOnDisk;
    }

    private void report(ConfigVersion version) {
        store.reportApplied(version).whenComplete((done, error) -> {
            if (error != null) {
                LOG.log(Level.FINE, "cannot report the running configuration version", error);
            }
        });
    }

    /** The version in force on this node. */
    public Running running() {
        return running.get();
    }

    /**
     * How many attempts to put a version in force failed since this node started: each left it on the
     * version before, and each retry of a failure that may pass counts again.
     */
    public long applyFailures() {
        return applyFailures.get();
    }

    /** The node's config in force: its own sections and the cluster's shared ones. */
    public GatewayConfig config() {
        return running.get().config();
    }

    /** Completes once this node runs {@code version} or a newer one. */
    public CompletableFuture<Running> whenRunning(long version) {
        Running now = running.get();
        if (now.version().version() >= version) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Running> future = waiting.computeIfAbsent(version, v -> new CompletableFuture<>());
        // The version may have been applied between the first read and the registration.
        thread.execute(() -> {
            Running latest = running.get();
            if (latest.version().version() >= version) {
                future.complete(latest);
                waiting.remove(version, future);
            }
        });
        return future;
    }

    /** Runs {@code task} on the config thread after {@code delay}: retiring what a version replaced. */
    public void later(Duration delay, Runnable task) {
        thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        AutoCloseable s = subscription;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "cannot stop following the configuration", e);
            }
        }
        thread.shutdownNow();
    }
}
