package io.gridgate.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.gridgate.cluster.GridMember;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.GridSettings;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.hazelcast.test.HazelcastTestSupport.assertTrueEventually;
import static org.assertj.core.api.Assertions.assertThat;

class HazelcastGridTest {

    private final TestGrids grids = new TestGrids();

    @AfterEach
    void terminateMembers() {
        grids.close();
    }

    @Test
    void neverJoinsByMulticastAndBindsOnlyTheConfiguredInterface() {
        Config config = HazelcastGrid.memberConfig(new GridSettings(
                "prod", "10.1.2.3", 5710, List.of("10.1.2.4:5710"), Optional.empty()));

        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.1.2.4:5710");
        assertThat(config.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.1.2.3");
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(config.getNetworkConfig().getPort()).isEqualTo(5710);
        assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(config.getJetConfig().isEnabled()).isFalse();
        assertThat(config.getClusterName()).isEqualTo("prod");
    }

    @Test
    void aLoneMemberJoinsOnlyItself() {
        Config config = HazelcastGrid.memberConfig(GridSettings.standalone("solo", 5799));

        assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactly("127.0.0.1:5799");
    }

    @Test
    void kubernetesDnsReplacesTheMemberList() {
        Config config = HazelcastGrid.memberConfig(new GridSettings(
                "k8s", "0.0.0.0", 5701, List.of(), Optional.of("gridgate-members.default.svc.cluster.local")));

        JoinConfig join = config.getNetworkConfig().getJoin();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns"))
                .isEqualTo("gridgate-members.default.svc.cluster.local");
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(config.getProperty("hazelcast.socket.bind.any")).isEqualTo("true");
    }

    @Test
    void membersAreListedOldestFirstWithTheAskingOneMarkedLocal() {
        Grid first = grids.newGrid();
        Grid second = grids.newGrid();

        assertTrueEventually(() -> assertThat(second.members()).hasSize(2));
        assertThat(second.members()).extracting(GridMember::id)
                .containsExactly(first.localMemberId(), second.localMemberId());
        assertThat(second.members()).extracting(GridMember::local).containsExactly(false, true);
        assertThat(second.members()).allSatisfy(member -> assertThat(member.address()).matches(".+:\\d+"));

        second.close();

        assertThat(second.members()).isEmpty();
    }

    @Test
    void membersSeeEachOtherAndLeaveGracefully() {
        Grid first = grids.newGrid();
        Grid second = grids.newGrid();
        Grid third = grids.newGrid();

        assertTrueEventually(() -> assertThat(first.memberCount()).isEqualTo(3));
        assertThat(first.localMemberId()).isNotEqualTo(second.localMemberId());

        third.close();

        assertThat(third.isJoined()).isFalse();
        assertThat(third.memberCount()).isZero();
        assertTrueEventually(() -> assertThat(first.memberCount()).isEqualTo(2));
        assertThat(second.isJoined()).isTrue();
    }

    @Test
    void aMemberIsToldWhenAnotherJoinsOrCrashes() {
        Grid first = grids.newGrid();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        first.onMembershipChange(() -> seen.add(first.memberCount()));

        Grid second = grids.newGrid();
        assertTrueEventually(() -> assertThat(seen).containsExactly(2));
        grids.crash(second);

        assertTrueEventually(() -> assertThat(seen).containsExactly(2, 1));
    }

    @Test
    void aMemberIsToldWhenItsSideOfASplitHasMergedUntilItStopsListening() throws Exception {
        Grid grid = grids.newGrid();
        List<String> seen = new CopyOnWriteArrayList<>();
        AutoCloseable listening = grid.onMerge(() -> seen.add("merged"));

        grids.announceMerge(grid);
        assertTrueEventually(() -> assertThat(seen).containsExactly("merged"));
        listening.close();
        grids.announceMerge(grid);

        assertThat(seen).containsExactly("merged");
    }
}
