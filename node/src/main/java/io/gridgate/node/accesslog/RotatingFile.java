package io.gridgate.node.accesslog;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An append-only file rotated by size: once a line would take it past {@code maxSize} it becomes
 * {@code name.1}, {@code name.1} becomes {@code name.2}, and so on; {@code name.<maxFiles>} is deleted.
 * Used by the access log's writer thread only.
 */
final class RotatingFile implements AccessLog.Sink {

    private final Path path;
    private final long maxSize;
    private final int maxFiles;
    private OutputStream out;
    private long size;

    RotatingFile(Path path, long maxSize, int maxFiles) throws IOException {
        this.path = path;
        this.maxSize = maxSize;
        this.maxFiles = maxFiles;
        open();
    }

    private void open() throws IOException {
        size = Files.exists(path) ? Files.size(path) : 0;
        out = new BufferedOutputStream(new FileOutputStream(path.toFile(), true), 64 * 1024);
    }

    @Override
    public void write(byte[] line) throws IOException {
        if (size > 0 && size + line.length > maxSize) {
            rotate();
        }
        out.write(line);
        size += line.length;
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(rotated(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path rotated(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
