package io.gridgate.node;

import io.undertow.connector.PooledByteBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferPoolTest {

    @Test
    void aReleasedBufferIsHandedOutAgainClearedOnTheSameThread() {
        BufferPool pool = new BufferPool(true, 1024, 4, 8);
        PooledByteBuffer first = pool.allocate();
        ByteBuffer buffer = first.getBuffer();
        buffer.put((byte) 7);
        first.close();

        PooledByteBuffer second = pool.allocate();
        assertThat(second.getBuffer()).isSameAs(buffer);
        assertThat(second.getBuffer().position()).isZero();
        assertThat(second.getBuffer().remaining()).isEqualTo(1024);
        assertThat(second.getBuffer().isDirect()).isTrue();
    }

    @Test
    void closingTwiceReturnsTheBufferOnceAndALoanCannotBeUsedAfterIt() {
        BufferPool pool = new BufferPool(false, 64, 4, 8);
        PooledByteBuffer loan = pool.allocate();
        loan.close();
        loan.close();

        assertThat(loan.isOpen()).isFalse();
        assertThatThrownBy(loan::getBuffer).isInstanceOf(IllegalStateException.class);
        assertThat(pool.allocate().getBuffer()).isNotSameAs(pool.allocate().getBuffer());
    }

    @Test
    void keepsAtMostItsBoundsAndLetsTheRestGo() {
        BufferPool pool = new BufferPool(false, 64, 2, 3);
        List<PooledByteBuffer> loans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            loans.add(pool.allocate());
        }
        loans.forEach(PooledByteBuffer::close);

        assertThat(pool.sharedQueueLength()).isEqualTo(3);
    }

    @Test
    void buffersReleasedOnAnotherThreadAreSharedThroughTheQueue() throws Exception {
        BufferPool pool = new BufferPool(false, 64, 0, 8);
        PooledByteBuffer loan = pool.allocate();
        ByteBuffer buffer = loan.getBuffer();
        Thread other = new Thread(loan::close);
        other.start();
        other.join();

        assertThat(pool.allocate().getBuffer()).isSameAs(buffer);
    }

    @Test
    void aClosedPoolKeepsNothing() {
        BufferPool pool = new BufferPool(false, 64, 0, 8);
        PooledByteBuffer loan = pool.allocate();
        pool.close();
        loan.close();

        assertThat(pool.sharedQueueLength()).isZero();
    }

    @Test
    void aDirectPoolOffersAHeapPoolForArrayBackedBuffers() {
        BufferPool pool = new BufferPool(true, 64, 2, 2);
        assertThat(pool.getArrayBackedPool().isDirect()).isFalse();
        assertThat(pool.getArrayBackedPool().allocate().getBuffer().hasArray()).isTrue();
        assertThat(pool.getArrayBackedPool().getBufferSize()).isEqualTo(64);
    }
}
