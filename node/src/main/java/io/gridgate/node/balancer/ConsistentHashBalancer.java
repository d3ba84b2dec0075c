package io.gridgate.node.balancer;

import java.util.Arrays;
import java.util.List;

/**
 * A hash ring: each candidate owns {@value #POINTS_PER_WEIGHT} points per unit of weight, at the
 * hashes of {@code "id#0"}, {@code "id#1"}, ...; a key goes to the owner of the first point at or
 * after its own hash. Points depend only on the candidate's id and weight, so list order does not
 * matter and a candidate leaving moves only the keys on its points. Rings over
 * {@value #MAX_POINTS} points are scaled down uniformly; since each candidate then keeps a prefix of
 * its points, a change of scale moves only the keys on the points dropped or added.
 */
final class ConsistentHashBalancer<T> implements LoadBalancer<T> {

    /** As ketama; a candidate's share of keys then strays from its due by about 1/sqrt(160), some 8%, of it. */
    static final int POINTS_PER_WEIGHT = 160;
    /** 3 MiB of ring at most: 1,638 candidates of weight 1 fit unscaled. */
    static final int MAX_POINTS = 1 << 18;

    private final List<Candidate<T>> candidates;
    private final Ring ring;
    private final LoadBalancer<T> keyless;

    ConsistentHashBalancer(List<Candidate<T>> candidates, LoadBalancer<T> keyless) {
        this.candidates = candidates;
        this.ring = Ring.of(candidates);
        this.keyless = keyless;
    }

    @Override
    public Candidate<T> pick(String hashKey) {
        if (hashKey == null) {
            return keyless.pick(null);
        }
        return candidates.get(ring.ownerOf(Hash64.hash(hashKey)));
    }

    @Override
    public List<Candidate<T>> candidates() {
        return candidates;
    }

    /**
     * Sorted point hashes and, at the same index, the index of the candidate owning each point.
     * Two candidates hashing to the same point (about never, at 64 bits) leave it to the lower id.
     */
    record Ring(long[] points, int[] owners) {

        static Ring of(List<? extends Candidate<?>> candidates) {
            int[] counts = pointCounts(candidates);
            long[] hashes = new long[Arrays.stream(counts).sum()];
            int[] ownerOfHash = new int[hashes.length];
            StringBuilder name = new StringBuilder();
            int next = 0;
            for (int owner = 0; owner < counts.length; owner++) {
                String id = candidates.get(owner).id();
                for (int point = 0; point < counts[owner]; point++) {
                    name.setLength(0);
                    name.append(id).append('#').append(point);
                    hashes[next] = Hash64.hash(name);
                    ownerOfHash[next++] = owner;
                }
            }
            // Sorting primitives, then placing owners by binary search, is far cheaper than sorting pairs.
            long[] points = distinctSorted(hashes);
            int[] owners = new int[points.length];
            Arrays.fill(owners, -1);
            for (int j = 0; j < hashes.length; j++) {
                int at = Arrays.binarySearch(points, hashes[j]);
                if (owners[at] < 0 || lowerId(candidates, ownerOfHash[j], owners[at])) {
                    owners[at] = ownerOfHash[j];
                }
            }
            return new Ring(points, owners);
        }

        /** {@value #POINTS_PER_WEIGHT} per unit of weight, all scaled alike if that totals over {@value #MAX_POINTS}. */
        private static int[] pointCounts(List<? extends Candidate<?>> candidates) {
            long totalWeight = candidates.stream().mapToLong(Candidate::weight).sum();
            double scale = Math.min(1.0, (double) MAX_POINTS / (POINTS_PER_WEIGHT * totalWeight));
            int[] counts = new int[candidates.size()];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = Math.max(1, (int) (POINTS_PER_WEIGHT * (double) candidates.get(i).weight() * scale));
            }
            return counts;
        }

        private static boolean lowerId(List<? extends Candidate<?>> candidates, int a, int b) {
            return candidates.get(a).id().compareTo(candidates.get(b).id()) < 0;
        }

        private static long[] distinctSorted(long[] values) {
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            int size = 0;
            for (long value : sorted) {
                if (size == 0 || sorted[size - 1] != value) {
                    sorted[size++] = value;
                }
            }
            return Arrays.copyOf(sorted, size);
        }

        /** The owner of the first point at or after {@code hash}, wrapping past the last to the first. */
        int ownerOf(long hash) {
            int i = Arrays.binarySearch(points, hash);
            if (i < 0) {
                i = -i - 1;
            }
            return owners[i == points.length ? 0 : i];
        }
    }
}
