package io.gridgate.node.balancer;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/** Candidates whose target is their id, and pick counting, for the balancer tests. */
final class TestCandidates {

    private static final IntSupplier IDLE = () -> 0;

    private TestCandidates() {
    }

    static Candidate<String> candidate(String id) {
        return new Candidate<>(id, 1, null, id, IDLE);
    }

    static Candidate<String> weighted(String id, int weight) {
        return new Candidate<>(id, weight, null, id, IDLE);
    }

    static Candidate<String> inZone(String id, String zone) {
        return new Candidate<>(id, 1, zone, id, IDLE);
    }

    static Candidate<String> withInFlight(String id, int weight, IntSupplier inFlight) {
        return new Candidate<>(id, weight, null, id, inFlight);
    }

    static List<Candidate<String>> named(String... ids) {
        return Arrays.stream(ids).map(TestCandidates::candidate).toList();
    }

    /** How often each candidate id was picked in {@code picks} keyless picks. */
    static Map<String, Integer> countPicks(LoadBalancer<String> balancer, int picks) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(balancer.pick(null).id(), 1, Integer::sum);
        }
        return counts;
    }

    static String sequence(LoadBalancer<String> balancer, int picks) {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < picks; i++) {
            ids.append(balancer.pick(null).id());
        }
        return ids.toString();
    }
}
