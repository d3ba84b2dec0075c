package io.gridgate.cluster.internal;

import com.hazelcast.core.EntryView;
import com.hazelcast.map.IMap;
import io.gridgate.cluster.BreakerNotice;
import io.gridgate.cluster.BreakerNotice.Kind;
import io.gridgate.cluster.BreakerView;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.testing.MutableClock;
import io.gridgate.cluster.testing.TestGrids;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class BreakerBoardTest {

    private static final Logger LOG = Logger.getLogger(BreakerBoardTest.class.getName());
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final TestGrids grids = new TestGrids();
    private final MutableClock clock = new MutableClock(T0);

    @AfterEach
    void terminate() {
        grids.close();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private List<Grid> members(int count) {
        List<Grid> members = IntStream.range(0, count).mapToObj(i -> grids.newGrid(clock)).toList();
        await().atMost(PATIENCE).until(() -> members.get(0).memberCount() == count);
        return members;
    }

    private static List<Inbox> subscribeAll(List<Grid> members) {
        return members.stream().map(member -> {
            Inbox inbox = new Inbox();
            member.breakers().subscribe(inbox);
            return inbox;
        }).toList();
    }

    /** Waits until every inbox holds {@code count} notices; a later change proves that nothing came in between. */
    private static void awaitNotices(List<Inbox> inboxes, int count) {
        await().atMost(PATIENCE).untilAsserted(() -> inboxes.forEach(inbox -> assertThat(inbox.notices).hasSize(count)));
    }

    @Test
    void aTripOnOneOfThreeMembersReachesTheSubscribersOfAllThreeWithinHalfASecond() {
        List<Grid> members = members(3);
        List<Inbox> inboxes = subscribeAll(members);
        Instant until = T0.plusSeconds(30);

        long start = System.nanoTime();
        join(members.get(0).breakers().trip("orders", until, 1));

        awaitNotices(inboxes, 1);
        Duration latency = Duration.ofNanos(inboxes.stream().mapToLong(inbox -> inbox.arrivals.get(0)).max().orElseThrow() - start);
        LOG.info("a trip reached the subscribers of all 3 members in " + latency.toNanos() / 1_000 + " µs");
        assertThat(latency).isLessThan(Duration.ofMillis(500));
        for (Inbox inbox : inboxes) {
            BreakerNotice notice = inbox.notices.get(0);
            assertThat(notice.breaker()).isEqualTo("orders");
            assertThat(notice.kind()).isEqualTo(Kind.OPEN);
            assertThat(notice.openUntil()).isEqualTo(until);
            assertThat(notice.origin()).isEqualTo(members.get(0).localMemberId());
            assertThat(notice.version()).isPositive();
        }
    }

    @Test
    void aSecondVoteWhileTheBreakerIsAlreadyOpenAboutAsLongPublishesNothing() {
        List<Grid> members = members(3);
        List<Inbox> inboxes = subscribeAll(members);

        join(members.get(0).breakers().trip("orders", T0.plusSeconds(30), 1));
        join(members.get(1).breakers().trip("orders", T0.plusMillis(30_500), 1));
        join(members.get(2).breakers().forceClose("orders"));

        awaitNotices(inboxes, 2);
        for (Inbox inbox : inboxes) {
            assertThat(inbox.kinds()).containsExactly(Kind.OPEN, Kind.CLOSED);
        }
    }

    @Test
    void withAQuorumOfTwoOneVotePublishesNothingAndTheSecondOpensUntilTheEarlierOfTheTwo() {
        List<Grid> members = members(3);
        List<Inbox> inboxes = subscribeAll(members);

        join(members.get(0).breakers().trip("orders", T0.plusSeconds(60), 2));
        join(members.get(1).breakers().trip("orders", T0.plusSeconds(40), 2));

        awaitNotices(inboxes, 1);
        for (Inbox inbox : inboxes) {
            assertThat(inbox.notices.get(0).origin()).isEqualTo(members.get(1).localMemberId());
            assertThat(inbox.notices.get(0).openUntil()).isEqualTo(T0.plusSeconds(40));
        }

        join(members.get(2).breakers().trip("orders", T0.plusSeconds(50), 2));

        awaitNotices(inboxes, 2);
        for (Inbox inbox : inboxes) {
            assertThat(inbox.notices.get(1).origin()).isEqualTo(members.get(2).localMemberId());
            assertThat(inbox.notices.get(1).openUntil()).as("the second-latest of 60, 40 and 50 s").isEqualTo(T0.plusSeconds(50));
        }
    }

    @Test
    void votesThatHaveRunOutOnTheOwnersClockDoNotCount() {
        List<Grid> members = members(3);
        List<Inbox> inboxes = subscribeAll(members);

        join(members.get(0).breakers().trip("orders", T0.plusSeconds(10), 2));
        clock.advance(Duration.ofSeconds(11));
        join(members.get(1).breakers().trip("orders", clock.instant().plusSeconds(30), 2));
        join(members.get(2).breakers().trip("orders", clock.instant().plusSeconds(20), 2));

        awaitNotices(inboxes, 1);
        for (Inbox inbox : inboxes) {
            assertThat(inbox.notices.get(0).origin()).as("the third vote, not the second, made the quorum")
                    .isEqualTo(members.get(2).localMemberId());
            assertThat(inbox.notices.get(0).openUntil()).isEqualTo(clock.instant().plusSeconds(20));
        }
    }

    @Test
    void forcedOpenAndForcedCloseReachEveryMemberAndClosingForgetsTheVotes() {
        List<Grid> members = members(3);
        List<Inbox> inboxes = subscribeAll(members);
        String second = members.get(1).localMemberId();
        String third = members.get(2).localMemberId();

        join(members.get(0).breakers().trip("orders", T0.plusSeconds(30), 2));
        join(members.get(1).breakers().forceOpen("orders"));
        awaitNotices(inboxes, 1);
        // A quorum of votes now, but votes only accumulate while an operator holds the breaker open.
        join(members.get(2).breakers().trip("orders", T0.plusSeconds(30), 2));
        join(members.get(2).breakers().forceClose("orders"));
        awaitNotices(inboxes, 2);
        // Had the first two votes survived the close, this one alone would open the breaker.
        join(members.get(1).breakers().trip("orders", T0.plusSeconds(30), 2));
        join(members.get(2).breakers().trip("orders", T0.plusSeconds(20), 2));

        awaitNotices(inboxes, 3);
        for (Inbox inbox : inboxes) {
            assertThat(inbox.kinds()).containsExactly(Kind.FORCED_OPEN, Kind.CLOSED, Kind.OPEN);
            assertThat(inbox.notices).extracting(BreakerNotice::origin).containsExactly(second, third, third);
            assertThat(inbox.notices).extracting(BreakerNotice::openUntil)
                    .containsExactly(Instant.MAX, Instant.EPOCH, T0.plusSeconds(20));
        }
    }

    @Test
    void versionsStrictlyGrowEvenAcrossAnEntryThatExpired() {
        Grid member = members(1).get(0);
        Inbox inbox = new Inbox();
        member.breakers().subscribe(inbox);

        tripAlone(member, 30);
        join(member.breakers().forceOpen("orders"));
        join(member.breakers().forceClose("orders"));
        tripAlone(member, 30);
        tripAlone(member, 60);
        awaitNotices(List.of(inbox), 5);
        // An entry expires no sooner than ten minutes after its last change; deleting it stands in for that.
        breakers(member).delete("orders");
        clock.advance(Duration.ofMinutes(10));
        tripAlone(member, 30);

        awaitNotices(List.of(inbox), 6);
        List<Long> versions = inbox.notices.stream().map(BreakerNotice::version).toList();
        assertThat(versions).isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    }

    @Test
    void aMemberThatJoinsAfterATripFindsItAmongTheNotices() {
        List<Grid> members = members(2);
        join(members.get(0).breakers().trip("orders", T0.plusSeconds(30), 1));
        join(members.get(1).breakers().trip("payments", T0.plusSeconds(30), 2));

        Grid late = grids.newGrid(clock);

        Map<String, BreakerNotice> notices = late.breakers().notices();
        assertThat(notices).containsOnlyKeys("orders");
        assertThat(notices.get("orders").kind()).isEqualTo(Kind.OPEN);
        assertThat(notices.get("orders").openUntil()).isEqualTo(T0.plusSeconds(30));
        assertThat(notices.get("orders").origin()).isEqualTo(members.get(0).localMemberId());
    }

    @Test
    void everyMembersViewsAreListedUntilTheMemberCrashes() {
        List<Grid> members = members(3);
        Grid first = members.get(0);
        Grid doomed = members.get(1);
        grids.awaitSafeState();
        BreakerView firstOrders = new BreakerView(first.localMemberId(), "orders", "CLOSED", T0);
        BreakerView doomedOrders = new BreakerView(doomed.localMemberId(), "orders", "OPEN", T0.plusSeconds(1));
        BreakerView doomedPayments = new BreakerView(doomed.localMemberId(), "payments", "CLOSED", T0);

        join(first.breakers().report("orders", "CLOSED", T0));
        join(doomed.breakers().report("orders", "HALF_OPEN", T0));
        join(doomed.breakers().report("orders", "OPEN", T0.plusSeconds(1)));
        join(doomed.breakers().report("payments", "CLOSED", T0));

        assertThat(join(members.get(2).breakers().views()))
                .containsExactlyInAnyOrder(firstOrders, doomedOrders, doomedPayments);

        grids.crash(doomed);

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(join(members.get(2).breakers().views())).containsExactly(firstOrders));
    }

    @Test
    void closingASubscriptionStopsItsDeliveries() throws Exception {
        List<Grid> members = members(2);
        Inbox closed = new Inbox();
        Inbox open = new Inbox();
        AutoCloseable handle = members.get(1).breakers().subscribe(closed);
        members.get(1).breakers().subscribe(open);
        join(members.get(0).breakers().trip("orders", T0.plusSeconds(30), 1));
        awaitNotices(List.of(closed, open), 1);

        handle.close();
        join(members.get(0).breakers().forceClose("orders"));

        awaitNotices(List.of(open), 2);
        assertThat(closed.notices).hasSize(1);
    }

    @Test
    void aSubscriberThatThrowsDoesNotKeepTheNoticeFromTheOthers() {
        Grid member = members(1).get(0);
        member.breakers().subscribe(notice -> {
            throw new IllegalStateException("a broken subscriber");
        });
        Inbox inbox = new Inbox();
        member.breakers().subscribe(inbox);

        join(member.breakers().trip("orders", T0.plusSeconds(30), 1));

        awaitNotices(List.of(inbox), 1);
    }

    @Test
    void anOpenBreakerOutlivesItsOpeningByTenMinutesAndAForcedOpenOneNeverExpires() {
        Grid member = members(1).get(0);

        join(member.breakers().trip("orders", T0.plusSeconds(30), 1));
        EntryView<String, BreakerState> open = breakers(member).getEntryView("orders");
        join(member.breakers().forceOpen("orders"));
        EntryView<String, BreakerState> forced = breakers(member).getEntryView("orders");

        assertThat(open.getTtl()).isEqualTo(Duration.ofSeconds(30).plusMinutes(10).toMillis());
        assertThat(forced.getTtl()).isEqualTo(Long.MAX_VALUE);
    }

    /** Trips {@code orders} with a quorum of one, for some seconds from the test clock's now. */
    private void tripAlone(Grid member, int seconds) {
        join(member.breakers().trip("orders", clock.instant().plusSeconds(seconds), 1));
    }

    private static IMap<String, BreakerState> breakers(Grid member) {
        return ((HazelcastGrid) member).hazelcast().getMap(HazelcastBreakerBoard.BREAKERS);
    }

    /** What one subscriber received, and when each notice arrived. */
    private static final class Inbox implements Consumer<BreakerNotice> {
        final List<BreakerNotice> notices = new CopyOnWriteArrayList<>();
        final List<Long> arrivals = new CopyOnWriteArrayList<>();

        @Override
        public void accept(BreakerNotice notice) {
            arrivals.add(System.nanoTime());
            notices.add(notice);
        }

        List<Kind> kinds() {
            return notices.stream().map(BreakerNotice::kind).toList();
        }
    }
}
