package io.gridgate.node.cache;

import org.xnio.channels.Channels;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.conduits.AbstractStreamSinkConduit;
import org.xnio.conduits.StreamSinkConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Answers with a stored body in place of an error's: whatever the error writes is consumed and
 * dropped, and the stored body goes out when the writer shuts down ({@code stale-if-error}).
 */
final class StaleConduit extends AbstractStreamSinkConduit<StreamSinkConduit> {

    private final ByteBuffer body;
    private boolean shutdown;

    StaleConduit(StreamSinkConduit next, ByteBuffer body) {
        super(next);
        this.body = body;
    }

    @Override
    public int write(ByteBuffer src) {
        int dropped = src.remaining();
        src.position(src.limit());
        return dropped;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        long dropped = 0;
        for (int i = offset; i < offset + length; i++) {
            dropped += write(srcs[i]);
        }
        return dropped;
    }

    @Override
    public int writeFinal(ByteBuffer src) throws IOException {
        int dropped = write(src);
        terminateWrites();
        return dropped;
    }

    @Override
    public long writeFinal(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long dropped = write(srcs, offset, length);
        terminateWrites();
        return dropped;
    }

    @Override
    public long transferFrom(FileChannel src, long position, long count) {
        return count;
    }

    @Override
    public long transferFrom(StreamSourceChannel source, long count, ByteBuffer throughBuffer) throws IOException {
        throughBuffer.clear().flip();
        return Channels.drain(source, count);
    }

    @Override
    public void terminateWrites() throws IOException {
        shutdown = true;
        flush();
    }

    @Override
    public boolean flush() throws IOException {
        if (shutdown) {
            while (body.hasRemaining()) {
                if (next.write(body) == 0) {
                    return false;
                }
            }
            if (!next.isWriteShutdown()) {
                next.terminateWrites();
            }
        }
        return next.flush();
    }
}
