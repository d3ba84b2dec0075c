package io.gridgate.node.accesslog;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue between the I/O threads and the writer, without the writer thread: no sleeps, no races. */
class AccessLogQueueTest {

    private final List<String> written = new ArrayList<>();
    private final AccessLog.Sink sink = new AccessLog.Sink() {
        @Override
        public void write(byte[] line) {
            written.add(new String(line, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @Test
    void aFullQueueDropsAndCountsInsteadOfWaiting() {
        AccessLog log = new AccessLog(2, sink, QueryRedaction.of(List.of()));

        assertThat(log.offer(line("{\"n\":1}"))).isTrue();
        assertThat(log.offer(line("{\"n\":2}"))).isTrue();
        assertThat(log.offer(line("{\"n\":3}"))).isFalse();
        assertThat(log.offer(line("{\"n\":4}"))).isFalse();

        assertThat(log.dropped()).isEqualTo(2);
        log.close();
        assertThat(written).containsExactly("{\"n\":1}\n", "{\"n\":2}\n");
    }

    @Test
    void linesOfferedAfterCloseAreDroppedAndCounted() {
        AccessLog log = new AccessLog(2, sink, QueryRedaction.of(List.of()));
        log.close();

        assertThat(log.offer(line("late"))).isFalse();
        assertThat(log.dropped()).isEqualTo(1);
        assertThat(written).isEmpty();
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
