package io.gridgate.node.accesslog;

import io.gridgate.node.config.AccessLogConfig;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The access log's bounded queue and the one daemon thread that drains it to a {@link Sink}. Requests
 * only {@link #offer} a line, which never waits, not even for a lock: the queue is lock-free and
 * bounded by a counter, and a full queue drops the line and counts it. The writer sleeps
 * {@value #IDLE_PARK_MILLIS} ms when it finds the queue empty, and flushes whenever it does, so a quiet
 * log is never behind by more than that.
 */
public final class AccessLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
    private static final long IDLE_PARK_MILLIS = 10;
    private static final long STOP_WAIT_MILLIS = 5_000;

    /** Where the writer thread puts lines; used by that thread only. */
    interface Sink extends AutoCloseable {
        void write(byte[] line) throws IOException;

        void flush() throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final Sink sink;
    /** Replaced when a configuration change names other credential parameters. */
    private volatile QueryRedaction redaction;
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean stopping;
    private boolean failureLogged;

    AccessLog(int queueSize, Sink sink, QueryRedaction redaction) {
        this.capacity = queueSize;
        this.sink = sink;
        this.redaction = redaction;
        this.writer = new Thread(this::drain, "gridgate-access-log");
        this.writer.setDaemon(true);
    }

    /**
     * Starts the writer of an enabled access log, {@code null} when the config turns it off.
     *
     * @param redaction the query parameters whose values never reach the log
     */
    public static AccessLog start(AccessLogConfig config, QueryRedaction redaction) {
        if (!config.enabled()) {
            return null;
        }
        Sink sink;
        try {
            sink = config.output() == AccessLogConfig.Output.FILE
                    ? new RotatingFile(Path.of(config.file().orElseThrow()), config.maxFileSize(), config.maxFiles())
                    : standardOutput();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log " + config.file().orElse(""), e);
        }
        AccessLog log = new AccessLog(config.queueSize(), sink, redaction);
        log.writer.start();
        return log;
    }

    /**
     * Standard output through {@link System#out}, so that a redirection ({@code System.setOut}, a test
     * runner's capture) holds for the log too; the writer's own buffer turns many lines into one write.
     */
    private static Sink standardOutput() {
        OutputStream out = new BufferedOutputStream(System.out, 64 * 1024);
        return new Sink() {
            @Override
            public void write(byte[] line) throws IOException {
                out.write(line);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.flush(); // standard output stays open for whoever else writes to it
            }
        };
    }

    /** The parameters whose values lines leave out. */
    QueryRedaction redaction() {
        return redaction;
    }

    /** From now on, lines leave out the values of these parameters instead. */
    public void redact(QueryRedaction parameters) {
        this.redaction = parameters;
    }

    /**
     * Queues a line (its UTF-8 bytes, newline included) without waiting; false, and counted, when the
     * queue is full or the log stopped.
     */
    public boolean offer(byte[] line) {
        if (!stopping && queued.incrementAndGet() <= capacity) {
            queue.add(line);
            return true;
        }
        if (!stopping) {
            queued.decrementAndGet();
        }
        dropped.increment();
        return false;
    }

    private byte[] poll() {
        byte[] line = queue.poll();
        if (line != null) {
            queued.decrementAndGet();
        }
        return line;
    }

    /** Lines dropped since the start, because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    private void drain() {
        while (true) {
            byte[] line = poll();
            if (line == null) {
                flush();
                if (stopping && queue.isEmpty()) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_PARK_MILLIS));
                continue;
            }
            write(line);
            if (queue.isEmpty()) {
                flush();
            }
        }
    }

    private void write(byte[] line) {
        try {
            sink.write(line);
        } catch (IOException e) {
            failed(e);
        }
    }

    private void flush() {
        try {
            sink.flush();
        } catch (IOException e) {
            failed(e);
        }
    }

    /** A failing disk is reported once, not once per line; the lines it refused are lost. */
    private void failed(IOException e) {
        if (!failureLogged) {
            failureLogged = true;
            LOG.log(Level.WARNING, "access log write failed; further failures are not reported", e);
        }
    }

    /** Writes what is queued, then stops the writer and closes the sink; lines offered later are dropped. */
    @Override
    public void close() {
        stopping = true;
        if (writer.isAlive()) {
            try {
                writer.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            drainWithoutThread();
        }
        try {
            sink.close();
        } catch (IOException e) {
            failed(e);
        }
    }

    private void drainWithoutThread() {
        for (byte[] line = poll(); line != null; line = poll()) {
            write(line);
        }
        flush();
    }
}
