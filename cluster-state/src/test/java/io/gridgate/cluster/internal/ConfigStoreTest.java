package io.gridgate.cluster.internal;

import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigStore.Applied;
import io.gridgate.cluster.ConfigStore.Change;
import io.gridgate.cluster.ConfigStore.Conflict;
import io.gridgate.cluster.ConfigVersion;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConfigStoreTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final TestGrids grids = new TestGrids();

    @AfterEach
    void terminate() {
        grids.close();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private List<Grid> members(int count) {
        List<Grid> members = IntStream.range(0, count).mapToObj(i -> grids.newGrid()).toList();
        await().atMost(PATIENCE).until(() -> members.get(0).memberCount() == count);
        return members;
    }

    private static ConfigVersion version(long number, String document) {
        return ConfigVersion.of(number, document, 1_000L * number, "test");
    }

    @Test
    void theNewestOfferedVersionWinsWhateverTheOrder() {
        List<Grid> members = members(2);
        ConfigStore first = members.get(0).config();
        ConfigStore second = members.get(1).config();

        assertThat(join(first.current())).isEmpty();
        assertThat(join(first.offer(version(3, "{\"routes\":[]}"))).version()).isEqualTo(3);
        ConfigVersion kept = join(second.offer(version(2, "{\"older\":true}")));
        assertThat(kept.version()).isEqualTo(3);
        assertThat(kept.document()).isEqualTo("{\"routes\":[]}");
        assertThat(join(second.offer(version(7, "{\"newer\":true}"))).version()).isEqualTo(7);
        assertThat(join(first.current())).hasValueSatisfying(v -> assertThat(v.document()).isEqualTo("{\"newer\":true}"));
        assertThat(join(first.history())).extracting(ConfigVersion::version).containsExactly(3L, 7L);
    }

    @Test
    void aMemberThatJoinsAfterAChangeDoesNotReplaceItWithTheHigherNumberedCopyOnItsDisk() {
        List<Grid> members = members(2);
        join(members.get(0).config().offer(version(1, "{\"seed\":1}")));
        ConfigVersion changed = join(members.get(1).config().change(1, "{\"changed\":2}", "admin API")).current();
        assertThat(changed.epoch()).as("the first change begins a line of history").isPositive();

        Grid late = grids.newGrid();
        ConfigVersion kept = join(late.config().offer(version(50, "{\"unrelated\":50}").inEpoch(changed.epoch() - 1)));

        assertThat(kept).isEqualTo(changed);
        assertThat(join(members.get(0).config().current())).hasValue(changed);
    }

    @Test
    void whileTheClusterFormsAHigherNumberOfTheSameLineWinsAndOnceItChangedNothingBroughtDoes() {
        List<Grid> members = members(2);
        join(members.get(0).config().offer(version(2, "{\"v\":2}").inEpoch(7_000)));

        ConfigVersion newer = join(members.get(1).config().offer(version(5, "{\"v\":5}").inEpoch(7_000)));
        assertThat(newer.version()).as("a member whose disk is newer, back after the first").isEqualTo(5);

        ConfigVersion changed = join(members.get(0).config().change(5, "{\"v\":6}", "admin API")).current();
        assertThat(changed.epoch()).isGreaterThan(7_000);
        ConfigVersion later = version(9, "{\"v\":9}").inEpoch(changed.epoch() + 1);
        assertThat(join(members.get(1).config().offer(later))).as("even a later line").isEqualTo(changed);
    }

    @Test
    void aCopyOfAnEarlierLineLosesWhileTheClusterFormsWhateverItsNumber() {
        ConfigStore store = members(1).get(0).config();
        ConfigVersion formed = join(store.offer(version(3, "{\"v\":3}").inEpoch(9_000)));

        assertThat(join(store.offer(version(50, "{\"v\":50}").inEpoch(8_000)))).isEqualTo(formed);
    }

    @Test
    void aCopyOfALaterLineWinsWhileTheClusterFormsNumberedAboveTheCurrentVersion() {
        ConfigStore store = members(1).get(0).config();
        join(store.offer(version(50, "{\"v\":50}").inEpoch(8_000)));

        ConfigVersion won = join(store.offer(version(3, "{\"v\":3}").inEpoch(9_000)));

        assertThat(won.version()).as("members apply only higher numbers").isEqualTo(51);
        assertThat(won.document()).isEqualTo("{\"v\":3}");
        assertThat(won.epoch()).isEqualTo(9_000);
    }

    @Test
    void ofTwoChangesBasedOnTheSameVersionOneIsStoredAndTheOtherConflicts() {
        List<Grid> members = members(3);
        join(members.get(0).config().offer(version(1, "{\"v\":1}")));

        CompletableFuture<Change> a = members.get(1).config().change(1, "{\"v\":\"a\"}", "admin API").toCompletableFuture();
        CompletableFuture<Change> b = members.get(2).config().change(1, "{\"v\":\"b\"}", "admin API").toCompletableFuture();
        List<Change> outcomes = List.of(a.join(), b.join());

        assertThat(outcomes).filteredOn(Applied.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(Conflict.class::isInstance).hasSize(1);
        Applied applied = (Applied) outcomes.stream().filter(Applied.class::isInstance).findFirst().orElseThrow();
        Conflict conflict = (Conflict) outcomes.stream().filter(Conflict.class::isInstance).findFirst().orElseThrow();
        assertThat(applied.created()).isTrue();
        assertThat(applied.current().version()).isEqualTo(2);
        assertThat(conflict.current().version()).as("a conflict names the version that won").isEqualTo(2);
        assertThat(join(members.get(0).config().current()).orElseThrow().document()).isEqualTo(applied.current().document());
    }

    @Test
    void aChangeToTheSameDocumentStoresNoNewVersion() {
        ConfigStore store = members(1).get(0).config();
        join(store.offer(version(1, "{\"v\":1}")));

        Change same = join(store.change(1, "{\"v\":1}", "admin API"));

        assertThat(same).isInstanceOfSatisfying(Applied.class, applied -> {
            assertThat(applied.created()).isFalse();
            assertThat(applied.current().version()).isEqualTo(1);
        });
    }

    @Test
    void theHistoryKeepsTheLastVersionsOnlyAndEachKeptVersionIsReadable() {
        ConfigStore store = members(1).get(0).config();
        join(store.offer(version(1, "{\"n\":1}")));
        for (int n = 2; n <= ConfigStore.HISTORY + 5; n++) {
            assertThat(join(store.change(n - 1, "{\"n\":" + n + "}", "admin API"))).isInstanceOf(Applied.class);
        }

        List<ConfigVersion> history = join(store.history());
        assertThat(history).hasSize(ConfigStore.HISTORY);
        assertThat(history.get(0).version()).isEqualTo(6);
        assertThat(history.get(history.size() - 1).version()).isEqualTo(ConfigStore.HISTORY + 5);
        assertThat(history).allSatisfy(v -> assertThat(v.document()).as("a list carries no documents").isEmpty());
        assertThat(join(store.version(5))).isEmpty();
        assertThat(join(store.version(6))).hasValueSatisfying(v -> assertThat(v.document()).isEqualTo("{\"n\":6}"));
    }

    @Test
    void everyMemberIsToldOfANewVersionAndSaysWhichOneItRuns() {
        List<Grid> members = members(3);
        List<List<ConfigVersion>> inboxes = members.stream().map(member -> {
            List<ConfigVersion> inbox = new CopyOnWriteArrayList<>();
            member.config().subscribe(inbox::add);
            return inbox;
        }).toList();

        join(members.get(0).config().offer(version(1, "{\"v\":1}")));
        join(members.get(2).config().change(1, "{\"v\":2}", "admin API"));

        await().atMost(PATIENCE).untilAsserted(() -> inboxes.forEach(inbox ->
                assertThat(inbox).extracting(ConfigVersion::version).containsExactly(1L, 2L)));
        members.forEach(member -> join(member.config().reportApplied(join(member.config().current()).orElseThrow())));
        Map<String, ConfigVersion> applied = join(members.get(1).config().applied());
        assertThat(applied).containsOnlyKeys(members.stream().map(Grid::localMemberId).toList());
        assertThat(applied.values()).allSatisfy(v -> assertThat(v.version()).isEqualTo(2));
    }

    @Test
    void theConfigurationSurvivesAMemberThatCrashes() {
        List<Grid> members = members(3);
        grids.awaitSafeState(); // backups in place: a member that joined a moment ago may not hold them yet
        join(members.get(0).config().offer(version(1, "{\"v\":1}")));
        join(members.get(0).config().change(1, "{\"v\":2}", "admin API"));

        grids.crash(members.get(0));

        assertThat(join(members.get(2).config().current()))
                .hasValueSatisfying(v -> assertThat(v.version()).isEqualTo(2));
        assertThat(join(members.get(2).config().history())).hasSize(2);
    }
}
