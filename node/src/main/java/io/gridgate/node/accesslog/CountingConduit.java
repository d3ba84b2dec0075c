package io.gridgate.node.accesslog;

import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Counts the request body bytes the gateway actually read, for the access log's {@code bytes_in}. */
final class CountingConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

    private long count;

    CountingConduit(StreamSourceConduit next) {
        super(next);
    }

    long count() {
        return count;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return counted(next.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        long read = next.read(dsts, offset, length);
        if (read > 0) {
            count += read;
        }
        return read;
    }

    @Override
    public long transferTo(long position, long length, FileChannel target) throws IOException {
        long moved = next.transferTo(position, length, target);
        if (moved > 0) {
            count += moved;
        }
        return moved;
    }

    @Override
    public long transferTo(long length, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        int before = throughBuffer.remaining();
        long moved = next.transferTo(length, throughBuffer, target);
        if (moved > 0) {
            count += moved;
        }
        // Bytes read into the buffer but not yet written on are read all the same.
        count += Math.max(0, throughBuffer.remaining() - before);
        return moved;
    }

    private int counted(int read) {
        if (read > 0) {
            count += read;
        }
        return read;
    }
}
