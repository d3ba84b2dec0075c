package io.gridgate.loadtest;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Sends keep-alive HTTP/1.1 requests to one or more endpoints over non-blocking sockets, one selector thread per
 * connection share.
 */
public final class LoadGenerator {

    /** Grace on top of a run's own bounds before a generator thread that has not stopped is reported as stuck. */
    private static final Duration JOIN_GRACE = Duration.ofSeconds(10);

    private LoadGenerator() {
    }

    /**
     * Runs {@code spec} to completion on fresh connections and returns what it measured; blocks the caller, which
     * meanwhile reports progress if the spec asks for it.
     */
    public static LoadResult run(LoadSpec spec) {
        List<ByteBuffer> requests = spec.endpoints().stream().map(spec.request()::encode).toList();
        long start = System.nanoTime();
        LiveStats live = spec.progressListener() == null ? null : new LiveStats(start, spec.warmup());
        List<LoadWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < spec.threads(); i++) {
            int share = share(spec.connections(), spec.threads(), i);
            double fraction = (double) share / spec.connections();
            long cap = Math.max(1, (long) Math.ceil(spec.maxRequests() * fraction));
            List<Lane> lanes = new ArrayList<>();
            for (int j = 0; j < spec.endpoints().size(); j++) {
                lanes.add(new Lane(spec.endpoints().get(j), requests.get(j),
                        share(share, spec.endpoints().size(), j), schedule(spec, fraction, start, i, j)));
            }
            LoadWorker worker = new LoadWorker(spec, lanes, start, cap, live);
            Thread thread = new Thread(worker, "loadgen-" + i);
            thread.setDaemon(true); // a stuck generator must never keep the benchmark JVM alive
            workers.add(worker);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        join(spec, threads, live, start);
        return merge(spec.pacing(), workers);
    }

    private static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    /**
     * Each thread paces its share of the rate; thread i starts i global periods late, so the threads' schedules
     * interleave into one even stream rather than firing in bursts of {@code threads} requests. Within a thread,
     * endpoint j takes every n-th of its requests from the j-th on: round-robin, each endpoint an equal share.
     */
    private static OpenLoopSchedule schedule(LoadSpec spec, double fraction, long start, int thread, int endpoint) {
        if (!(spec.pacing() instanceof Pacing.FixedRate fixed)) {
            return null;
        }
        double threadRate = fixed.requestsPerSecond() * fraction;
        long offset = (long) (thread * 1e9 / fixed.requestsPerSecond() + endpoint * 1e9 / threadRate);
        return OpenLoopSchedule.of(start + offset, threadRate / spec.endpoints().size());
    }

    /** Waits for every thread, reporting progress on the way if asked; fails if one outlives the run's bounds. */
    private static void join(LoadSpec spec, List<Thread> threads, LiveStats live, long start) {
        long deadline = System.nanoTime() + spec.warmup().plus(spec.duration()).plus(spec.requestTimeout())
                .plus(JOIN_GRACE).toNanos();
        long interval = live == null ? Long.MAX_VALUE : spec.progressInterval().toNanos();
        long nextReport = live == null ? Long.MAX_VALUE : start + interval;
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    long now = System.nanoTime();
                    if (now >= deadline) {
                        threads.forEach(Thread::interrupt);
                        throw new IllegalStateException(thread.getName() + " did not stop by its deadline");
                    }
                    if (now >= nextReport) {
                        spec.progressListener().accept(live.sample(now));
                        nextReport += interval;
                        continue;
                    }
                    thread.join(Math.max(1, (Math.min(deadline, nextReport) - now) / 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the generator was running", e);
        }
    }

    private static LoadResult merge(Pacing pacing, List<LoadWorker> workers) {
        Histogram sendLag = new Histogram(3);
        Duration window = Duration.ZERO;
        long completed = 0;
        boolean capped = false;
        List<EndpointResult> endpoints = new ArrayList<>();
        for (LoadWorker worker : workers) {
            LoadResult part = worker.result(pacing);
            sendLag.add(part.sendLagNanos());
            // Threads share one timeline; windows differ only if the cap cut them short, and then the run is flagged.
            window = part.window().compareTo(window) > 0 ? part.window() : window;
            completed += part.completed();
            capped |= part.capped();
            for (int j = 0; j < part.endpoints().size(); j++) {
                EndpointResult e = part.endpoints().get(j);
                if (endpoints.size() <= j) {
                    endpoints.add(e);
                } else {
                    endpoints.set(j, endpoints.get(j).plus(e));
                }
            }
        }
        return LoadResult.of(pacing, window, completed, sendLag, capped, endpoints);
    }
}
