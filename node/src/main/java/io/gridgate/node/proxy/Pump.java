package io.gridgate.node.proxy;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import org.xnio.ChannelListener;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.util.function.Consumer;

/**
 * Moves a body from one channel to another without blocking, and flushes whenever the source has
 * nothing more for now. Undertow's {@code Transfer} never flushes until the end, so a body that
 * arrives in pieces (a streamed upload, server-sent events, a long poll) sat in a 16 KiB buffer
 * until it filled or ended; the other side saw nothing in between. Runs entirely on the I/O thread
 * that owns both channels.
 */
final class Pump implements ChannelListener<Channel> {

    private final StreamSourceChannel source;
    private final StreamSinkChannel sink;
    private final Consumer<StreamSinkChannel> onEnd;
    private final Consumer<IOException> onReadFailure;
    private final Consumer<IOException> onWriteFailure;
    private PooledByteBuffer pooled;
    /** Holds data read and not yet written (flipped for writing) or, when it has none, nothing. */
    private ByteBuffer buffer;
    private boolean done;
    /** Listeners are set only once the pump has to wait on that side: most bodies never make it wait. */
    private boolean readListening;
    private boolean writeListening;

    private Pump(StreamSourceChannel source, StreamSinkChannel sink, ByteBufferPool pool, Consumer<StreamSinkChannel> onEnd,
                 Consumer<IOException> onReadFailure, Consumer<IOException> onWriteFailure) {
        this.source = source;
        this.sink = sink;
        this.onEnd = onEnd;
        this.onReadFailure = onReadFailure;
        this.onWriteFailure = onWriteFailure;
        this.pooled = pool.allocate();
        this.buffer = pooled.getBuffer();
        buffer.flip(); // empty, in write mode
    }

    /**
     * Starts moving bytes at once; {@code onEnd} gets the sink when the source is exhausted, and a
     * failure on either side ends the pump after returning its buffer.
     */
    static void start(StreamSourceChannel source, StreamSinkChannel sink, ByteBufferPool pool,
                      Consumer<StreamSinkChannel> onEnd, Consumer<IOException> onReadFailure,
                      Consumer<IOException> onWriteFailure) {
        new Pump(source, sink, pool, onEnd, onReadFailure, onWriteFailure).run();
    }

    @Override
    public void handleEvent(Channel channel) {
        run();
    }

    private void run() {
        while (!done) {
            if (buffer.hasRemaining()) {
                if (!write()) {
                    return;
                }
                continue;
            }
            int read;
            try {
                buffer.clear();
                read = source.read(buffer);
                buffer.flip();
            } catch (IOException e) {
                end();
                onReadFailure.accept(e);
                return;
            }
            if (read == -1) {
                end();
                onEnd.accept(sink);
                return;
            }
            if (read == 0) {
                waitForSource();
                return;
            }
        }
    }

    /** Writes what the buffer holds; false when the sink is full and the pump now waits for it. */
    private boolean write() {
        try {
            while (buffer.hasRemaining()) {
                if (sink.write(buffer) == 0) {
                    waitForSink();
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            end();
            onWriteFailure.accept(e);
            return false;
        }
    }

    /** The source has nothing now: what was written goes out before the pump waits for more. */
    private void waitForSource() {
        try {
            if (!sink.flush()) {
                waitForSink(); // called again when writable; the flush is retried then
                return;
            }
        } catch (IOException e) {
            end();
            onWriteFailure.accept(e);
            return;
        }
        if (writeListening) {
            sink.suspendWrites();
        }
        if (!readListening) {
            source.getReadSetter().set(this);
            readListening = true;
        }
        source.resumeReads();
    }

    private void waitForSink() {
        if (readListening) {
            source.suspendReads();
        }
        if (!writeListening) {
            sink.getWriteSetter().set(this);
            writeListening = true;
        }
        sink.resumeWrites();
    }

    private void end() {
        done = true;
        if (readListening) {
            source.getReadSetter().set(null);
            source.suspendReads();
        }
        if (writeListening) {
            sink.getWriteSetter().set(null);
            sink.suspendWrites();
        }
        if (pooled != null) {
            pooled.close();
            pooled = null;
        }
    }
}
