package io.gridgate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A process the benchmark starts (nginx, a Gridgate node): output to a log file, stopped with SIGTERM, then SIGKILL. */
final class ChildProcess implements AutoCloseable {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final long READY_POLL_MILLIS = 50;

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with stdout and stderr going to {@code log}, and without the benchmark's
     * {@code OTEL_*} variables: the Gridgate node reads them (an endpoint there turns tracing on), and whether a node
     * traces is for the benchmark's config to say, not for the shell it was started from.
     */
    static ChildProcess start(String name, List<String> command, Path log) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("OTEL_"));
            Process process = builder.start();
            return new ChildProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
    }

    /** Where the process's stdout and stderr go. */
    Path log() {
        return log;
    }

    /**
     * Polls {@code ready} until it holds; fails early if the process dies, and with the log's tail on either failure
     * so the cause is on screen.
     */
    void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " before it was ready; log " + log + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after " + timeout + "; log " + log + ":\n"
                        + logTail());
            }
            try {
                Thread.sleep(READY_POLL_MILLIS); // waiting on another process: there is no event to block on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + name, e);
            }
        }
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** The last lines of the log, for error messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM and wait, then SIGKILL whatever is left of the tree; safe to call twice. */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println(name + " ignored SIGTERM for " + STOP_TIMEOUT + "; killing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly); // an nginx worker orphaned by a killed master, say
    }
}
