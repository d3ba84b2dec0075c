package io.gridgate.node.config;

import io.gridgate.node.config.AccessLogConfig.Output;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code accessLog}. */
final class AccessLogReader {

    static final String[] KEYS = {"enabled", "output", "file", "maxFileSize", "maxFiles", "queueSize"};

    private static final long MAX_FILE_SIZE = 1024L * 1024 * 1024 * 1024;
    private static final ValueType<String> FILE = ValueType.text(
            "a file path whose directory exists and is writable", AccessLogReader::inWritableDirectory);

    private AccessLogReader() {
    }

    static AccessLogConfig read(Section s) {
        AccessLogConfig d = AccessLogConfig.DEFAULT;
        Output output = s.get("output", ValueTypes.word(Output.class), d.output());
        Optional<String> file = Optional.empty();
        if (output == Output.FILE) {
            file = Optional.ofNullable(s.required("file", FILE, "the access log's path, since output is file"));
        } else if (s.has("file") && !s.failed("output")) {
            s.get("file", ValueTypes.anyText("a path"), null);
            if (!s.failed("file")) {
                s.reject("file", "no file, since output is stdout");
            }
        }
        long maxFileSize = s.get("maxFileSize", ValueTypes.byteSize(MAX_FILE_SIZE), d.maxFileSize());
        if (maxFileSize < 1024 && !s.failed("maxFileSize")) {
            s.reject("maxFileSize", "at least 1KiB");
        }
        return new AccessLogConfig(
                s.get("enabled", ValueTypes.bool(), d.enabled()),
                output,
                file,
                maxFileSize,
                s.get("maxFiles", ValueTypes.integer(1, 1000), d.maxFiles()),
                s.get("queueSize", ValueTypes.integer(1, 1_000_000), d.queueSize()));
    }

    /** Relative paths resolve against the working directory, as the writer will open them. */
    private static String inWritableDirectory(String text) {
        try {
            if (text.isEmpty()) {
                return null;
            }
            Path path = Path.of(text).toAbsolutePath();
            Path dir = path.getParent();
            boolean ok = dir != null && Files.isDirectory(dir) && Files.isWritable(dir) && !Files.isDirectory(path);
            return ok ? text : null;
        } catch (InvalidPathException | SecurityException e) {
            return null;
        }
    }
}
