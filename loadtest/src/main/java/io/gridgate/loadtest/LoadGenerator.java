package io.gridgate.loadtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** Sends keep-alive HTTP/1.1 GETs to one target over non-blocking sockets, one selector thread per connection share. */
public final class LoadGenerator {

    /** Grace on top of a run's own bounds before a generator thread that has not stopped is reported as stuck. */
    private static final Duration JOIN_GRACE = Duration.ofSeconds(10);

    private LoadGenerator() {
    }

    /** Runs {@code spec} to completion on fresh connections and returns what it measured; blocks the caller. */
    public static LoadResult run(LoadSpec spec) {
        ByteBuffer request = encodeRequest(spec);
        long start = System.nanoTime();
        List<LoadWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < spec.threads(); i++) {
            int share = share(spec.connections(), spec.threads(), i);
            double fraction = (double) share / spec.connections();
            long cap = Math.max(1, (long) Math.ceil(spec.maxRequests() * fraction));
            LoadWorker worker = new LoadWorker(spec, request, share, schedule(spec, fraction, start, i), start, cap);
            Thread thread = new Thread(worker, "loadgen-" + i);
            thread.setDaemon(true); // a stuck generator must never keep the benchmark JVM alive
            workers.add(worker);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        join(spec, threads);
        return merge(spec.pacing(), workers);
    }

    /** The request every connection sends, encoded once. */
    static ByteBuffer encodeRequest(LoadSpec spec) {
        String host = spec.target().getHostString() + ":" + spec.target().getPort();
        String head = "GET " + spec.path() + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "User-Agent: gridgate-loadtest\r\n"
                + "Accept: */*\r\n"
                + "\r\n";
        byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    private static int share(int total, int parts, int index) {
        return total / parts + (index < total % parts ? 1 : 0);
    }

    /**
     * Each thread paces its share of the rate; thread i starts i global periods late, so the threads' schedules
     * interleave into one even stream rather than firing in bursts of {@code threads} requests.
     */
    private static OpenLoopSchedule schedule(LoadSpec spec, double fraction, long start, int index) {
        if (!(spec.pacing() instanceof Pacing.FixedRate fixed)) {
            return null;
        }
        long offset = (long) (index * 1e9 / fixed.requestsPerSecond());
        return OpenLoopSchedule.of(start + offset, fixed.requestsPerSecond() * fraction);
    }

    private static void join(LoadSpec spec, List<Thread> threads) {
        long deadline = System.nanoTime() + spec.warmup().plus(spec.duration()).plus(spec.requestTimeout())
                .plus(JOIN_GRACE).toNanos();
        try {
            for (Thread thread : threads) {
                long leftMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                thread.join(leftMillis);
                if (thread.isAlive()) {
                    threads.forEach(Thread::interrupt);
                    throw new IllegalStateException(thread.getName() + " did not stop by its deadline");
                }
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the generator was running", e);
        }
    }

    private static LoadResult merge(Pacing pacing, List<LoadWorker> workers) {
        Histogram latency = new Histogram(3);
        Histogram sendLag = new Histogram(3);
        Duration window = Duration.ZERO;
        long succeeded = 0;
        long completed = 0;
        ErrorCounts errors = ErrorCounts.NONE;
        boolean capped = false;
        for (LoadWorker worker : workers) {
            LoadResult part = worker.result(pacing);
            latency.add(part.latencyNanos());
            sendLag.add(part.sendLagNanos());
            // Threads share one timeline; windows differ only if the cap cut them short, and then the run is flagged.
            window = part.window().compareTo(window) > 0 ? part.window() : window;
            succeeded += part.succeeded();
            completed += part.completed();
            errors = errors.plus(part.errors());
            capped |= part.capped();
        }
        return new LoadResult(pacing, window, succeeded, completed, errors, latency, sendLag, capped);
    }
}
