package io.gridgate.node.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The traffic listener.
 *
 * @param ioThreads 0 means one per available core
 * @param drainTimeout how long SIGTERM waits for in-flight requests before closing them
 * @param requestParseTimeout how long a client may take to send a complete request head
 * @param idleTimeout how long a keep-alive connection may sit without a request
 * @param maxRequestHeaderBytes bound on the request head (line plus headers)
 * @param trustedProxies CIDR ranges of proxies in front of Gridgate whose {@code X-Forwarded-For} is believed
 * @param limits bounds on requests and how strictly they are parsed
 * @param ipRules client addresses allowed or denied on every route
 * @param responseHeaders headers set on and removed from every response, the gateway's own included
 */
public record ServerConfig(
        String bindAddress,
        int port,
        int ioThreads,
        boolean http2,
        Optional<TlsConfig> tls,
        Duration drainTimeout,
        Duration requestParseTimeout,
        Duration idleTimeout,
        int maxRequestHeaderBytes,
        List<String> trustedProxies,
        LimitsConfig limits,
        IpRulesConfig ipRules,
        ResponseHeadersConfig responseHeaders) {

    public ServerConfig {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
