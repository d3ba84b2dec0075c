package io.gridgate.node.pipeline;

import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the request body by the matched route's {@code maxBodyBytes} (or the server's): a declared
 * {@code Content-Length} over the bound is refused at once with 413, before anything reads the body
 * or reaches an upstream; a chunked body is counted as it streams, and the read that crosses the
 * bound fails, which the proxy answers with 413 (or, once the response has begun, by closing).
 */
public final class BodyLimitHandler implements HttpHandler {

    private final long serverLimit;
    private final HttpHandler next;

    public BodyLimitHandler(long serverLimit, HttpHandler next) {
        this.serverLimit = serverLimit;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RouteMatch match = exchange.getAttachment(RouteMatch.KEY);
        long limit = match.route().config().maxBodyBytes().orElse(serverLimit);
        long length = exchange.getRequestContentLength();
        if (length > limit) {
            // The body is not read: the connection cannot be reused after this reply.
            exchange.setPersistent(false);
            LocalReply.send(exchange, Reason.PAYLOAD_TOO_LARGE,
                    "the request body is " + length + " bytes; this route accepts at most " + limit);
            return;
        }
        if (length < 0 && !exchange.isRequestComplete()) {
            // Undertow's own per-exchange entity limit is fixed once the chunked decoder is set up,
            // before any handler runs; counting here is what actually holds.
            try {
                exchange.addRequestWrapper((factory, ex) -> new Counting(factory.create(), limit));
            } catch (IllegalStateException channelTaken) {
                // An h2c upgrade request, whose body Undertow has already taken up: it stays unbounded.
            }
        }
        next.handleRequest(exchange);
    }

    /** Fails the read that takes a body past its bound. */
    private static final class Counting extends AbstractStreamSourceConduit<StreamSourceConduit> {
        private final long limit;
        private long read;

        Counting(StreamSourceConduit next, long limit) {
            super(next);
            this.limit = limit;
        }

        private long count(long bytes) throws IOException {
            if (bytes > 0) {
                read += bytes;
                if (read > limit) {
                    throw new RequestTooBigException("the request body is larger than " + limit + " bytes");
                }
            }
            return bytes;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return (int) count(next.read(dst));
        }

        @Override
        public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
            return count(next.read(dsts, offs, len));
        }

        @Override
        public long transferTo(long position, long count, FileChannel target) throws IOException {
            return count(next.transferTo(position, count, target));
        }

        @Override
        public long transferTo(long count, ByteBuffer throughBuffer, org.xnio.channels.StreamSinkChannel target)
                throws IOException {
            // Through this conduit's own read, so that every byte is counted once.
            return org.xnio.IoUtils.transfer(new org.xnio.conduits.ConduitReadableByteChannel(this), count,
                    throughBuffer, target);
        }

        @Override
        public void awaitReadable(long time, TimeUnit timeUnit) throws IOException {
            next.awaitReadable(time, timeUnit);
        }
    }
}
