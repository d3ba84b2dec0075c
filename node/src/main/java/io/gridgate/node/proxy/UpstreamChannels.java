package io.gridgate.node.proxy;

import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;
import io.undertow.util.Transfer;

import java.io.IOException;

/**
 * How the proxy ends what it opened upstream: a body finished, a connection dropped mid-exchange, a tunnel bridged.
 * Composition calls end their (empty) request bodies the same way.
 */
public final class UpstreamChannels {

    private UpstreamChannels() {
    }

    /** Joins the two sockets of a connection that switched protocols (a WebSocket), byte for byte, until either side closes. */
    static void bridge(StreamConnection clientSide, ClientExchange clientExchange) {
        StreamConnection upstreamSide;
        try {
            upstreamSide = clientExchange.getConnection().performUpgrade();
        } catch (IOException e) {
            IoUtils.safeClose(clientSide);
            return;
        }
        ChannelListener<StreamSinkChannel> closeWhenFlushed = ChannelListeners.writeShutdownChannelListener(
                ChannelListeners.flushingChannelListener(ChannelListeners.closingChannelListener(),
                        ChannelListeners.closingChannelExceptionHandler()),
                ChannelListeners.closingChannelExceptionHandler());
        Transfer.initiateTransfer(upstreamSide.getSourceChannel(), clientSide.getSinkChannel(),
                ChannelListeners.closingChannelListener(), closeWhenFlushed,
                (c, e) -> IoUtils.safeClose(clientSide, upstreamSide), (c, e) -> IoUtils.safeClose(clientSide, upstreamSide),
                clientExchange.getConnection().getBufferPool());
        Transfer.initiateTransfer(clientSide.getSourceChannel(), upstreamSide.getSinkChannel(),
                ChannelListeners.closingChannelListener(), closeWhenFlushed,
                (c, e) -> IoUtils.safeClose(clientSide, upstreamSide), (c, e) -> IoUtils.safeClose(clientSide, upstreamSide),
                clientExchange.getConnection().getBufferPool());
    }

    /**
     * Drops a connection that is mid-exchange. A clean close would first end a chunked request
     * body with its last chunk, and the upstream would take a cut-off body for a whole one; taking
     * the socket back from the HTTP client first removes that framing, so the upstream sees the
     * connection end inside the body.
     */
    static void abort(ClientConnection connection) {
        if (connection == null) {
            return;
        }
        if (!connection.isUpgraded()) {
            try {
                IoUtils.safeClose(connection.performUpgrade());
            } catch (IOException | RuntimeException e) {
                // Already closed: nothing can be sent on it any more.
            }
        }
        IoUtils.safeClose(connection);
    }

    /** Ends a body: shut the sink down and flush it, waiting for writability if the socket is full. */
    public static void shutdownAndFlush(StreamSinkChannel channel) {
        try {
            channel.shutdownWrites();
            if (!channel.flush()) {
                channel.getWriteSetter().set(ChannelListeners.flushingChannelListener(
                        c -> c.getWriteSetter().set(null), ChannelListeners.closingChannelExceptionHandler()));
                channel.resumeWrites();
            }
        } catch (IOException e) {
            IoUtils.safeClose(channel);
        }
    }
}
