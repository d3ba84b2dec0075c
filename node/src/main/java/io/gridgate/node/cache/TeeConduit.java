package io.gridgate.node.cache;

import io.undertow.server.ServerConnection;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Passes a response body on and keeps a copy of what was written, up to a bound: past it the copy
 * is dropped and the body keeps streaming. {@link #body()} is the copy once the body ended whole:
 * the writer shut its writes down on an open connection. Closing a connection shuts them down too,
 * once it is already marked closed, so a body cut off by a reset is never taken for a whole one.
 */
final class TeeConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {

    private static final int INITIAL_CAPACITY = 8 * 1024;

    private final ServerConnection connection;
    private final long maxBytes;
    private byte[] copy;
    private int size;
    private boolean overflowed;
    private boolean ended;

    /** @param expectedBytes the body's Content-Length, or -1 when unknown */
    TeeConduit(StreamSinkConduit next, ServerConnection connection, long maxBytes, long expectedBytes) {
        super(next);
        this.connection = connection;
        this.maxBytes = maxBytes;
        int capacity = expectedBytes >= 0 ? (int) Math.min(expectedBytes, maxBytes) : INITIAL_CAPACITY;
        this.copy = new byte[(int) Math.min(capacity, maxBytes)];
    }

    /** The whole body, or null when it is too large or did not end. */
    byte[] body() {
        if (!ended || overflowed) {
            return null;
        }
        return size == copy.length ? copy : Arrays.copyOf(copy, size);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int from = src.position();
        int written = next.write(src);
        keep(src, from, written);
        return written;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int[] from = positions(srcs, offset, length);
        long written = next.write(srcs, offset, length);
        keep(srcs, offset, length, from);
        return written;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        int from = src.position();
        int written = next.writeFinal(src);
        keep(src, from, written);
        if (!src.hasRemaining()) {
            end();
        }
        return written;
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int[] from = positions(srcs, offset, length);
        long written = next.writeFinal(srcs, offset, length);
        keep(srcs, offset, length, from);
        if (!srcs[offset + length - 1].hasRemaining()) {
            end();
        }
        return written;
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) throws IOException {
        overflowed = true; // bytes that never pass through a buffer here cannot be kept
        return next.transferFrom(src, position, count);
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        overflowed = true;
        return next.transferFrom(source, count, throughBuffer);
    }

    @Override
    public void terminateWrites() throws IOException {
        end();
        next.terminateWrites();
    }

    /** Called before the next conduit hears of it: the exchange may complete inside that call. */
    private void end() {
        if (connection.isOpen()) {
            ended = true;
        }
    }

    @Override
    public void truncateWrites() throws IOException {
        overflowed = true; // a truncated body is not the response
        next.truncateWrites();
    }

    private static int[] positions(ByteBuffer[] srcs, int offset, int length) {
        int[] from = new int[length];
        for (int i = 0; i < length; i++) {
            from[i] = srcs[offset + i].position();
        }
        return from;
    }

    private void keep(ByteBuffer[] srcs, int offset, int length, int[] from) {
        for (int i = 0; i < length; i++) {
            ByteBuffer src = srcs[offset + i];
            keep(src, from[i], src.position() - from[i]);
        }
    }

    private void keep(ByteBuffer src, int from, int count) {
        if (overflowed || count <= 0) {
            return;
        }
        if ((long) size + count > maxBytes) {
            overflowed = true;
            copy = null;
            return;
        }
        if (size + count > copy.length) {
            copy = Arrays.copyOf(copy, (int) Math.min(maxBytes, Math.max((long) copy.length * 2, size + count)));
        }
        ByteBuffer view = src.duplicate();
        view.limit(from + count).position(from);
        view.get(copy, size, count);
        size += count;
    }
}
