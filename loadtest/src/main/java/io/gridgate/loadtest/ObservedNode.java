package io.gridgate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A node of the observability or the plugins scenario as a target: its CPU and grid round trips like any node's, the
 * request it is sent (a token, for a node that asks for one), and its telemetry, the {@link OtlpSink}'s counts (the
 * sink is shared, so between the two nodes' runs its counts show which exported) and the lines of its access log. Reading the telemetry waits until the sink has been quiet for a while, so that a run's last batch of
 * spans, exported after its last response, is counted with that run and not with the next.
 */
final class ObservedNode implements Target {

    /** Quiet for 2.5 export delays: the batch timer has fired at least twice with nothing to send. */
    static final Duration QUIET = ObservabilityScenario.EXPORT_DELAY.multipliedBy(5).dividedBy(2);
    private static final Duration QUIET_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final GridgateNode node;
    private final OtlpSink sink;
    /** Null if the node writes no access log. */
    private final LineCounter accessLog;
    private final RequestTemplate request;

    /**
     * {@code accessLog} is the file its access log lines go to, or null if it writes none; {@code request} what every
     * request of the load is.
     */
    ObservedNode(String name, GridgateNode node, OtlpSink sink, Path accessLog, RequestTemplate request) {
        this.name = name;
        this.node = node;
        this.sink = sink;
        this.accessLog = accessLog == null ? null : new LineCounter(accessLog);
        this.request = request;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return node.address();
    }

    @Override
    public RequestTemplate request() {
        return request;
    }

    @Override
    public OptionalLong cpuNanos() {
        return node.cpuNanos();
    }

    @Override
    public OptionalLong gridRoundTrips() {
        return node.gridRoundTrips();
    }

    @Override
    public Telemetry telemetry() {
        Telemetry counts = sink.countsWhenQuiet(QUIET, QUIET_TIMEOUT);
        double lines = accessLog == null ? 0 : accessLog.lines();
        return new Telemetry(counts.exports(), counts.spans(), counts.bytes(), counts.sinkCpuNanos(), lines);
    }

    @Override
    public void close() {
        // The node belongs to the benchmark, which stops it with the others.
    }

    /**
     * Counts the lines of a growing file that the node rotates by size ({@code access.log} becomes
     * {@code access.log.1}), reading only what was added since the last count, as {@code tail -F} follows it: it
     * keeps the file it is reading open, and once the path names another file, reads the rotated one to its end and
     * goes on with the new one from its start. (A file both created and rotated between two counts, 100 MiB by the
     * node's default, would be missed; a count runs before and after every run.)
     */
    static final class LineCounter {
        private final Path file;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private FileChannel channel;
        private Object fileKey;
        private long lines;

        LineCounter(Path file) {
            this.file = file;
        }

        long lines() {
            try {
                while (true) {
                    if (channel == null && !open()) {
                        return lines; // not written yet
                    }
                    readToEnd();
                    Object current = key(file);
                    if (current == null || current.equals(fileKey)) {
                        return lines;
                    }
                    readToEnd(); // rotated: what was written before the rename, then the new file
                    channel.close();
                    channel = null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot count the lines of " + file, e);
            }
        }

        private boolean open() throws IOException {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return false;
            }
            fileKey = key(file);
            return true;
        }

        private void readToEnd() throws IOException {
            int read;
            while ((read = channel.read(buffer.clear())) > 0) {
                for (int i = 0; i < read; i++) {
                    if (buffer.get(i) == '\n') {
                        lines++;
                    }
                }
            }
        }

        private static Object key(Path path) throws IOException {
            try {
                return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                return null;
            }
        }
    }
}
