package io.gridgate.node.config;

import java.util.Optional;

/**
 * Where the node's access log goes: one JSON line per request, on standard output or in a file
 * rotated by size.
 *
 * @param enabled     whether lines are written; on by default
 * @param output      standard output or a file
 * @param file        the file's path; present exactly when {@code output} is {@link Output#FILE}
 * @param maxFileSize the size at which the file is rotated ({@code .1}, {@code .2}, ...)
 * @param maxFiles    rotated files kept beside the current one
 * @param queueSize   lines waiting for the writer; beyond it lines are dropped and counted
 */
public record AccessLogConfig(boolean enabled, Output output, Optional<String> file, long maxFileSize, int maxFiles,
                              int queueSize) {

    /** Where lines go. */
    public enum Output { STDOUT, FILE }

    public static final long DEFAULT_MAX_FILE_SIZE = 100L * 1024 * 1024;

    /** On, to standard output. */
    public static final AccessLogConfig DEFAULT = new AccessLogConfig(true, Output.STDOUT, Optional.empty(),
            DEFAULT_MAX_FILE_SIZE, 5, 8192);

    /** No access log. */
    public static final AccessLogConfig OFF = new AccessLogConfig(false, Output.STDOUT, Optional.empty(),
            DEFAULT_MAX_FILE_SIZE, 5, 8192);
}
