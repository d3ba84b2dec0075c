package io.gridgate.node;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The I/O buffers of the traffic listener and of the upstream connections it opens. Undertow's
 * {@code DefaultByteBufferPool} finds a thread's cache in a synchronized {@code WeakHashMap} on
 * every allocation and every release, which took 6 % of the node's CPU under load. Here each
 * thread keeps its own bounded stack in a plain {@link ThreadLocal} (the I/O threads live as long as
 * the node), and a bounded shared queue takes what a thread's stack cannot; past both bounds a
 * buffer is left to the garbage collector.
 */
final class BufferPool implements ByteBufferPool {

    private final boolean direct;
    private final int bufferSize;
    private final int perThread;
    private final int shared;
    private final ThreadLocal<ArrayDeque<ByteBuffer>> local;
    private final ConcurrentLinkedQueue<ByteBuffer> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final BufferPool arrayBacked;
    private volatile boolean closed;

    /**
     * @param perThread buffers each thread keeps for itself
     * @param shared buffers kept for any thread beyond that
     */
    BufferPool(boolean direct, int bufferSize, int perThread, int shared) {
        this.direct = direct;
        this.bufferSize = bufferSize;
        this.perThread = perThread;
        this.shared = shared;
        this.local = ThreadLocal.withInitial(() -> new ArrayDeque<>(perThread));
        this.arrayBacked = direct ? new BufferPool(false, bufferSize, perThread, shared) : this;
    }

    @Override
    public PooledByteBuffer allocate() {
        ByteBuffer buffer = local.get().pollFirst();
        if (buffer == null) {
            buffer = queue.poll();
            if (buffer != null) {
                queued.decrementAndGet();
            } else {
                buffer = direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize);
            }
        }
        buffer.clear();
        return new Pooled(buffer);
    }

    private void release(ByteBuffer buffer) {
        if (closed) {
            return;
        }
        ArrayDeque<ByteBuffer> mine = local.get();
        if (mine.size() < perThread) {
            mine.addFirst(buffer);
            return;
        }
        if (queued.incrementAndGet() <= shared) {
            queue.add(buffer);
        } else {
            queued.decrementAndGet();
        }
    }

    /** Buffers held in the shared queue now, for tests. */
    int sharedQueueLength() {
        return queued.get();
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        return arrayBacked;
    }

    @Override
    public void close() {
        closed = true;
        queue.clear();
        if (arrayBacked != this) {
            arrayBacked.close();
        }
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public boolean isDirect() {
        return direct;
    }

    /** One buffer on loan; closing it twice returns it once. */
    private final class Pooled implements PooledByteBuffer {
        private ByteBuffer buffer;

        Pooled(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getBuffer() {
            ByteBuffer current = buffer;
            if (current == null) {
                throw new IllegalStateException("buffer already returned to the pool");
            }
            return current;
        }

        @Override
        public void close() {
            ByteBuffer returned = buffer;
            if (returned != null) {
                buffer = null;
                release(returned);
            }
        }

        @Override
        public boolean isOpen() {
            return buffer != null;
        }
    }
}
