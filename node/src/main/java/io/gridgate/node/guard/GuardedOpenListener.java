package io.gridgate.node.guard;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.HttpHandler;
import org.xnio.OptionMap;
import org.xnio.StreamConnection;

/** Undertow's HTTP/1.1 open listener, with a {@link GuardConduit} under the parser of every connection it opens. */
final class GuardedOpenListener implements DelegateOpenListener {

    private final DelegateOpenListener http;
    private final ConnectionGuard guard;

    GuardedOpenListener(DelegateOpenListener http, ConnectionGuard guard) {
        this.http = http;
        this.guard = guard;
    }

    @Override
    public void handleEvent(StreamConnection channel) {
        handleEvent(channel, null);
    }

    @Override
    public void handleEvent(StreamConnection channel, PooledByteBuffer alreadyRead) {
        GuardConduit conduit = guard.conduit(channel);
        channel.getSourceChannel().setConduit(conduit);
        if (alreadyRead != null) {
            conduit.prefetched(alreadyRead.getBuffer());
        }
        http.handleEvent(channel, alreadyRead);
    }

    @Override
    public HttpHandler getRootHandler() {
        return http.getRootHandler();
    }

    @Override
    public void setRootHandler(HttpHandler rootHandler) {
        http.setRootHandler(rootHandler);
    }

    @Override
    public OptionMap getUndertowOptions() {
        return http.getUndertowOptions();
    }

    @Override
    public void setUndertowOptions(OptionMap undertowOptions) {
        http.setUndertowOptions(undertowOptions);
    }

    @Override
    public ByteBufferPool getBufferPool() {
        return http.getBufferPool();
    }

    @Override
    public ConnectorStatistics getConnectorStatistics() {
        return http.getConnectorStatistics();
    }

    @Override
    public void closeConnections() {
        http.closeConnections();
    }
}
