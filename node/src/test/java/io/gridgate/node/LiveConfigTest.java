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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

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
        GatewayConfig local = TestGateway.config(yaml);
        LiveConfig live = LiveConfig.start(local, ConfigSeed.of(node + ".yaml", yaml), grid.config(), Clock.systemUTC(),
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
}
