package io.gridgate.node.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records one class's logger writes while this is open, with their formatted messages. */
public final class CapturedLog extends Handler implements AutoCloseable {

    /** One logged line: its level and its message with the supplier applied. */
    public record Line(Level level, String message) {
    }

    private final Logger logger;
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private CapturedLog(Logger logger) {
        this.logger = logger;
    }

    /** Starts capturing what {@code type}'s logger writes. */
    public static CapturedLog of(Class<?> type) {
        CapturedLog captured = new CapturedLog(Logger.getLogger(type.getName()));
        captured.logger.addHandler(captured);
        return captured;
    }

    public List<Line> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void publish(LogRecord record) {
        lines.add(new Line(record.getLevel(), record.getMessage()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
