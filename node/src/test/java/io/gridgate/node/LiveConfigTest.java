package io.gridgate.node;

import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.testing.TestGrids;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.node.config.ConfigDisk;
import io.gridgate.node.config.ConfigSeed;
import io.gridgate.node.config.SharedDocument;
import io.gridgate.node.config.GatewayConfig;
import io.gridgate.node.testing.CapturedLog;
import io.gridgate.node.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A node's shared configuration against the grid and its own disk, with in-JVM members. */
class LiveConfigTest {

    private static final String FILE = """
            server: {bindAddress: 127.0.0.1, port: 0}
            admin: {bindAddress: 127.0.0.1, port: 0}
            cluster: {dataDir: %s}
            routes:
              - {id: %s, match: {path: /%s}, upstream: "http://127.0.0.1:9"}
            """;

    @TempDir
    Path dir;
    private final TestGrids grids = new TestGrids();
    private final List<LiveConfig> started = new ArrayList<>();

    @AfterEach
    void close() {
        started.forEach(LiveConfig::close);
        grids.close();
    }

    private LiveConfig start(Grid grid, String node, String route) throws Exception {
        return start(grid, node, route, (previous, next) -> { });
    }

    private LiveConfig start(Grid grid, String node, String route, LiveConfig.Applier applier) throws Exception {
        Path data = Files.createDirectories(dir.resolve(node));
        return startFromFile(grid, node, FILE.formatted(data, route, route), applier);
    }

    private LiveConfig startFromFile(Grid grid, String node, String yaml, LiveConfig.Applier applier) throws Exception {
        return startOn(grid.config(), node, yaml, applier);
    }

    private LiveConfig startOn(ConfigStore store, String node, String yaml, LiveConfig.Applier applier)
            throws Exception {
        GatewayConfig local = TestGateway.config(yaml);
        LiveConfig live = LiveConfig.start(local, ConfigSeed.of(node + ".yaml", yaml), store, Clock.systemUTC(),
                Map.of());
        live.follow(applier);
        started.add(live);
        return live;
    }

    private static void assertLogged(CapturedLog log, Level level, String... parts) {
        assertThat(log.lines()).anySatisfy(line -> {
            assertThat(line.level()).isEqualTo(level);
            assertThat(line.message()).contains(parts);
        });
    }

    /** Fails each attempt to put {@code version} in force while {@code failing} says so, and counts them. */
    private static LiveConfig.Applier failing(long version, java.util.function.IntPredicate fails,
                                              AtomicInteger attempts) {
        return (previous, next) -> {
            if (next.version().version() == version && fails.test(attempts.incrementAndGet())) {
                throw new IllegalStateException("cannot store the consumers' API keys in the grid within 10000 ms");
            }
        };
    }

    private static String routes(String id) {
        return SharedDocument.canonical("{\"routes\":[{\"id\":\"" + id + "\",\"match\":{\"path\":\"/" + id
                + "\"},\"upstream\":\"http://127.0.0.1:9\"}]}");
    }

    private static ConfigStore.Change change(Grid grid, long basedOn, String route) {
        return grid.config().change(basedOn, routes(route), "admin API").toCompletableFuture().join();
    }

    @Test
    void aNodeWhoseFileDiffersWarnsThatTheClusterRunsANewerVersionAndRunsIt() throws Exception {
        Grid first = grids.newGrid();
        start(first, "a", "seeded");
        change(first, 1, "added");

        try (CapturedLog log = CapturedLog.of(LiveConfig.class)) {
            LiveConfig late = start(grids.newGrid(), "b", "other");

            assertThat(late.running().version().version()).isEqualTo(2);
            assertLogged(log, Level.WARNING, "joined a cluster that runs a newer shared configuration than file b.yaml",
                    "version 2 (admin API)", "not used");
        }
    }

    @Test
    void aLateNodeWhoseDiskHoldsAHigherNumberFromAnEarlierRunDoesNotReplaceTheClustersVersion() throws Exception {
        ConfigDisk stale = new ConfigDisk(Files.createDirectories(dir.resolve("b")));
        stale.write(ConfigVersion.of(50, routes("stale"), 1_000, "admin API").inEpoch(1_000));
        Grid first = grids.newGrid();
        LiveConfig live = start(first, "a", "seeded");
        ConfigVersion changed = change(first, 1, "added").current();

        try (CapturedLog log = CapturedLog.of(LiveConfig.class)) {
            LiveConfig late = start(grids.newGrid(), "b", "other");

            assertThat(late.running().version()).isEqualTo(changed);
            assertThat(live.whenRunning(2).get(10, TimeUnit.SECONDS).version()).isEqualTo(changed);
            assertThat(first.config().current().toCompletableFuture().join()).hasValue(changed);
            assertThat(stale.read()).as("the late node's disk catches up").hasValue(changed);
            assertLogged(log, Level.WARNING, "not version 50 (admin API");
        }
    }

    @Test
    void aVersionThatCannotBeWrittenToDiskIsCountedAndLoggedAsSevere() throws Exception {
        Grid grid = grids.newGrid();
        LiveConfig live = start(grid, "a", "seeded");
        assertThat(live.versionOnDisk()).isEqualTo(1);
        Files.createDirectory(dir.resolve("a").resolve("shared-config.json.tmp")); // the next write fails

        try (CapturedLog log = CapturedLog.of(LiveConfig.class)) {
            ConfigStore.Change change = change(grid, 1, "added");
            live.whenRunning(change.current().version()).get(10, TimeUnit.SECONDS);

            assertThat(live.diskWriteFailures()).isEqualTo(1);
            assertThat(live.versionOnDisk()).as("the disk still holds the version before").isEqualTo(1);
            assertLogged(log, Level.SEVERE, "cannot write cluster configuration version 2", "it holds version 1");
        }
    }

    @Test
    void aNodeWithoutADataDirectoryWarnsOnceThatAdminChangesAreLostIfEveryNodeStops() throws Exception {
        try (CapturedLog log = CapturedLog.of(LiveConfig.class)) {
            startFromFile(grids.newGrid(), "a", """
                    server: {bindAddress: 127.0.0.1, port: 0}
                    admin: {bindAddress: 127.0.0.1, port: 0}
                    routes:
                      - {id: seeded, match: {path: /seeded}, upstream: "http://127.0.0.1:9"}
                    """, (previous, next) -> { });

            assertThat(log.lines()).filteredOn(line -> line.message().contains("no data directory")).singleElement()
                    .satisfies(line -> {
                        assertThat(line.level()).isEqualTo(Level.WARNING);
                        assertThat(line.message()).contains("cluster.dataDir").contains("GRIDGATE_DATA_DIR")
                                .contains("live only in the grid and are lost if every node stops");
                    });
        }
    }

    @Test
    void aNodeWithADataDirectoryDoesNotWarnAboutPersistence() throws Exception {
        try (CapturedLog log = CapturedLog.of(LiveConfig.class)) {
            start(grids.newGrid(), "a", "seeded");

            assertThat(log.lines()).noneSatisfy(line -> assertThat(line.message()).contains("no data directory"));
        }
    }

    @Test
    void aNodeRunningAHigherNumberedDocumentThanTheGridSwitchesToTheGridsOnResyncAndWarns() throws Exception {
        Grid grid = grids.newGrid();
        LiveConfig live = start(grid, "a", "seeded");
        change(grid, 1, "minority-one");
        change(grid, 2, "minority-two");
        live.whenRunning(3).get(10, TimeUnit.SECONDS);
        ConfigVersion majority = ConfigVersion.of(2, routes("majority"), 2_000, "admin API on the other side")
                .inEpoch(2_000);
        grids.replaceConfigHistory(grid, List.of(majority));
        // The update the replacement fires is older by number: ignored, as a merge's silence would be.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> live.running().version().version() == 3);

        try (CapturedLog log = CapturedLog.of(LiveConfig.class)) {
            live.resync();

            await().atMost(Duration.ofSeconds(5)).until(() -> live.running().version().equals(majority));
            assertThat(live.config().routes()).extracting(route -> route.id()).containsExactly("majority");
            assertThat(new ConfigDisk(dir.resolve("a")).read()).hasValue(majority);
            assertLogged(log, Level.WARNING, "switching from version 3 to the cluster's version 2",
                    "digest " + majority.digest().substring(0, 12), "lost unless made again");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(grid.config().applied().toCompletableFuture().join().values())
                        .extracting(ConfigVersion::digest).containsExactly(majority.digest()));
    }

    @Test
    void aResyncWhoseReadPredatesANewerVersionThisNodeRunsDoesNotGoBack() throws Exception {
        Grid grid = grids.newGrid();
        AtomicReference<ConfigVersion> staleOnce = new AtomicReference<>();
        ConfigStore real = grid.config();
        ConfigStore store = (ConfigStore) Proxy.newProxyInstance(ConfigStore.class.getClassLoader(),
                new Class<?>[] {ConfigStore.class}, (proxy, method, args) -> {
                    ConfigVersion stale = method.getName().equals("current") ? staleOnce.getAndSet(null) : null;
                    if (stale != null) {
                        return CompletableFuture.completedFuture(Optional.of(stale));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Path data = Files.createDirectories(dir.resolve("a"));
        LiveConfig live = startOn(store, "a", FILE.formatted(data, "seeded", "seeded"), (previous, next) -> { });
        ConfigVersion first = live.running().version();
        change(grid, 1, "added");
        live.whenRunning(2).get(10, TimeUnit.SECONDS);
        staleOnce.set(first);

        try (CapturedLog log = CapturedLog.of(LiveConfig.class)) {
            live.resync();

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() ->
                    staleOnce.get() == null && live.running().version().version() == 2);
            assertThat(log.lines()).noneSatisfy(line -> assertThat(line.message()).contains("switching"));
        }
    }

    @Test
    void aVersionThatFailedToGoInForceIsRetriedUntilItSucceeds() throws Exception {
        Grid grid = grids.newGrid();
        AtomicInteger attempts = new AtomicInteger();
        LiveConfig live = start(grid, "a", "seeded", failing(2, attempt -> attempt == 1, attempts));

        try (CapturedLog log = CapturedLog.of(LiveConfig.class)) {
            change(grid, 1, "added");

            assertThat(live.whenRunning(2).get(10, TimeUnit.SECONDS).version().version()).isEqualTo(2);
            assertThat(attempts).hasValue(2);
            assertThat(live.applyFailures()).isEqualTo(1);
            assertLogged(log, Level.SEVERE, "cannot put cluster configuration version 2 in force",
                    "trying again in 1000 ms");
        }
    }

    @Test
    void aRetryEndsOnceANewerVersionSupersedesIt() throws Exception {
        Grid grid = grids.newGrid();
        AtomicInteger attempts = new AtomicInteger();
        LiveConfig live = start(grid, "a", "seeded", failing(2, attempt -> true, attempts));
        change(grid, 1, "failing");
        await().atMost(Duration.ofSeconds(5)).until(() -> live.applyFailures() == 1);

        change(grid, 2, "superseding");

        assertThat(live.whenRunning(3).get(10, TimeUnit.SECONDS).version().version()).isEqualTo(3);
        int tried = attempts.get();
        // Past the first two retries' waits (1 s, 2 s): none of them may put version 2 back.
        await().during(Duration.ofMillis(3_200)).atMost(Duration.ofSeconds(5)).until(() ->
                attempts.get() == tried && live.running().version().version() == 3);
    }

    @Test
    void aVersionThatDoesNotValidateIsNotRetriedEvenByAResync() throws Exception {
        Grid grid = grids.newGrid();
        LiveConfig live = start(grid, "a", "seeded");
        grid.config().change(1, "{\"routes\":[{\"id\":\"bad\",\"match\":{\"path\":\"/bad\"},"
                + "\"upstream\":\"ftp://nowhere\"}]}", "test").toCompletableFuture().join();
        await().atMost(Duration.ofSeconds(5)).until(() -> live.applyFailures() == 1);

        live.resync();

        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3)).until(() ->
                live.applyFailures() == 1 && live.running().version().version() == 1);
    }

    @Test
    void theBackoffDoublesFromOneSecondUpToThirtySeconds() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 40)).extracting(LiveConfig::backoff).extracting(Duration::toSeconds)
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }
}
