package io.gridgate.node.upstream;

import io.gridgate.node.config.PoolConfig;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.ssl.XnioSsl;
import io.undertow.protocols.ssl.UndertowXnioSsl;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates upstreams for route URLs and shares one endpoint (one pool) between routes that name the
 * same scheme, host, port and pool settings.
 */
public final class Upstreams implements AutoCloseable {

    private final Map<Key, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final XnioSsl ssl;

    public Upstreams() {
        try {
            this.ssl = new UndertowXnioSsl(Xnio.getInstance(), OptionMap.EMPTY, SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM offers no default TLS context", e);
        }
    }

    /** The upstream for an absolute {@code http(s)://host[:port]} URL; its path is the route's business. */
    public Upstream forUrl(URI url, PoolConfig pool) {
        URI origin = URI.create(url.getScheme() + "://" + url.getHost() + ":" + Endpoint.port(url));
        Key key = new Key(origin, pool);
        return new StaticUpstream(endpoints.computeIfAbsent(key, k -> new Endpoint(k.origin(), k.pool(), ssl)));
    }

    /** Every endpoint created so far, for metrics and tests. */
    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    @Override
    public void close() {
        endpoints.values().forEach(Endpoint::close);
        endpoints.clear();
    }

    private record Key(URI origin, PoolConfig pool) {
    }
}
