package io.gridgate.node.config;

import io.gridgate.node.config.AuthConfig.JwtIssuer;
import io.gridgate.node.config.Problems.Where;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the document root and the node-level sections: server, admin and cluster. */
final class GatewayReader {

    static final String ENV_BIND_ADDRESS = "GRIDGATE_BIND_ADDRESS";
    static final String ENV_PORT = "GRIDGATE_PORT";
    static final String ENV_TLS_PORT = "GRIDGATE_TLS_PORT";
    static final String ENV_TLS_PASSWORD = "GRIDGATE_TLS_KEYSTORE_PASSWORD";
    static final String ENV_ADMIN_BIND_ADDRESS = "GRIDGATE_ADMIN_BIND_ADDRESS";
    static final String ENV_ADMIN_PORT = "GRIDGATE_ADMIN_PORT";
    static final String ENV_ADMIN_TOKEN = "GRIDGATE_ADMIN_TOKEN";
    private static final ValueType<String> TOKEN = ValueTypes.matching("[\\x21-\\x7e]{16,256}",
            "a token of 16 to 256 visible ASCII characters");
    static final String ENV_CLUSTER_NAME = "GRIDGATE_CLUSTER_NAME";
    static final String ENV_CLUSTER_BIND_ADDRESS = "GRIDGATE_CLUSTER_BIND_ADDRESS";
    static final String ENV_CLUSTER_PORT = "GRIDGATE_CLUSTER_PORT";
    static final String ENV_CLUSTER_MEMBERS = "GRIDGATE_CLUSTER_MEMBERS";
    static final String ENV_KUBERNETES_SERVICE_DNS = "GRIDGATE_KUBERNETES_SERVICE_DNS";
    static final String ENV_ZONE = "GRIDGATE_ZONE";
    static final String ENV_TRUSTED_PROXIES = "GRIDGATE_TRUSTED_PROXIES";
    static final String ENV_REGISTRATION_TOKEN = "GRIDGATE_REGISTRATION_TOKEN";
    static final String ENV_DATA_DIR = ClusterConfig.DATA_DIR_ENV;
    static final String ENV_EXPECTED_MEMBERS = "GRIDGATE_EXPECTED_MEMBERS";

    private static final String KEY_STORE = "a readable key store file";
    private static final String PEM_FILE = "a readable PEM file";

    private GatewayReader() {
    }

    /** @param root the document, or {@code null} for an empty one */
    /** The document's top-level sections. */
    static final List<String> SECTIONS = List.of("server", "admin", "cluster", "services", "policies", "routes", "auth",
            "tracing", "accessLog");

    static GatewayConfig read(Reading reading, YamlNode root) {
        Section top = reading.section(root, "", SECTIONS.toArray(String[]::new));
        Section server = top.child("server", "bindAddress", "port", "ioThreads", "http2", "tls", "drainTimeout",
                "requestParseTimeout", "idleTimeout", "maxRequestHeaderBytes", "trustedProxies", "limits", "ipRules",
                "responseHeaders");
        Section tls = server.child("tls", "port", "keyStore", "keyStorePassword", "keyStoreType", "certificate",
                "privateKey");
        Section admin = top.child("admin", "bindAddress", "port", "registrationToken", "token");
        ServerConfig serverConfig = server(server, tls);
        AdminConfig adminConfig = new AdminConfig(
                admin.get("bindAddress", Addresses.bindAddress(), "127.0.0.1", ENV_ADMIN_BIND_ADDRESS),
                admin.get("port", ValueTypes.port(), 8081, ENV_ADMIN_PORT),
                admin.optionalSecret("registrationToken", TOKEN, ENV_REGISTRATION_TOKEN),
                admin.optionalSecret("token", TOKEN, ENV_ADMIN_TOKEN));
        checkDistinctPorts(server, admin, tls, serverConfig, adminConfig);
        ClusterConfig clusterConfig = cluster(top.child("cluster", "name", "bindAddress", "port", "members", "cache",
                "kubernetes", "zone", "dataDir", "expectedMembers", "expectedMembersGrace"));
        Map<String, ServiceConfig> services = ServicesReader.read(top);
        AuthConfig auth = AuthReader.read(top.child("auth", AuthReader.KEYS));
        List<String> issuerIds = auth.jwt().stream().map(JwtIssuer::id).toList();
        List<RouteConfig> routes = RouteReader.readAll(top, issuerIds, PoliciesReader.read(top, issuerIds));
        TracingConfig tracing = TracingReader.read(top.child("tracing", TracingReader.KEYS));
        AccessLogConfig accessLog = AccessLogReader.read(top.child("accessLog", AccessLogReader.KEYS));
        return new GatewayConfig(serverConfig, adminConfig, clusterConfig, services, routes, auth, tracing, accessLog);
    }

    private static ServerConfig server(Section s, Section tls) {
        return new ServerConfig(
                s.get("bindAddress", Addresses.bindAddress(), "0.0.0.0", ENV_BIND_ADDRESS),
                s.get("port", ValueTypes.port(), 8080, ENV_PORT),
                s.get("ioThreads", ValueTypes.integer(0, 1024), 0),
                s.get("http2", ValueTypes.bool(), true),
                tls(tls),
                s.get("drainTimeout", Durations.type(), Duration.ofSeconds(30)),
                s.get("requestParseTimeout", Durations.type(), Duration.ofSeconds(10)),
                s.get("idleTimeout", Durations.type(), Duration.ofSeconds(60)),
                s.get("maxRequestHeaderBytes", ValueTypes.integer(1024, 1_048_576), 65_536),
                s.list("trustedProxies", IpRulesReader.CIDR, "a sequence of CIDR ranges such as [10.0.0.0/8]",
                        ENV_TRUSTED_PROXIES),
                LimitsReader.read(s.child("limits", LimitsReader.KEYS)),
                IpRulesReader.readServer(s.child("ipRules", IpRulesReader.KEYS)),
                ResponseHeadersReader.readServer(s.child("responseHeaders", ResponseHeadersReader.KEYS)));
    }

    private static Optional<TlsConfig> tls(Section s) {
        Reading reading = s.reading();
        if (!s.present()) {
            // An override of a listener that does not exist is a deployment mistake, not a no-op.
            rejectEnvWithoutTls(reading, ENV_TLS_PORT, reading.env(ENV_TLS_PORT).map(YamlNode::quote));
            rejectEnvWithoutTls(reading, ENV_TLS_PASSWORD, reading.env(ENV_TLS_PASSWORD).map(p -> "(hidden)"));
            return Optional.empty();
        }
        Integer port = s.required("port", ValueTypes.port(), "the TLS port", ENV_TLS_PORT);
        if (s.has("certificate") || s.has("privateKey")) {
            s.exclusive("keyStore", "certificate");
            String certificate = s.required("certificate", ValueType.text(PEM_FILE, GatewayReader::readableFile),
                    "the path of a PEM certificate chain");
            String privateKey = s.required("privateKey", ValueType.text(PEM_FILE, GatewayReader::readableFile),
                    "the path of a PEM (PKCS#8) private key");
            reading.env(ENV_TLS_PASSWORD).ifPresent(p -> rejectEnvWithoutTls(reading, ENV_TLS_PASSWORD, Optional.of("(hidden)")));
            if (port == null || certificate == null || privateKey == null) {
                return Optional.empty();
            }
            return Optional.of(TlsConfig.pem(port, certificate, privateKey));
        }
        String keyStore = s.required("keyStore", ValueType.text(KEY_STORE, GatewayReader::readableFile),
                "the path of a PKCS12 or JKS key store, or certificate and privateKey");
        String password = s.required("keyStorePassword", ValueTypes.anyText("the key store password"),
                "the key store password, here or in " + ENV_TLS_PASSWORD, ENV_TLS_PASSWORD);
        String type = s.get("keyStoreType", ValueTypes.upperCaseName("PKCS12", "JKS"), "PKCS12");
        if (port == null || keyStore == null || password == null) {
            return Optional.empty();
        }
        return Optional.of(TlsConfig.keyStore(port, keyStore, password, type));
    }

    private static void rejectEnvWithoutTls(Reading reading, String variable, Optional<String> shown) {
        shown.ifPresent(value -> reading.problems().reject(Where.env(variable), value,
                "unset, since server.tls is not configured"));
    }

    /** Relative paths resolve against the working directory, as the server will open them. */
    private static String readableFile(String text) {
        try {
            Path path = Path.of(text);
            return !text.isEmpty() && Files.isRegularFile(path) && Files.isReadable(path) ? text : null;
        } catch (InvalidPathException | SecurityException e) {
            return null;
        }
    }

    /** A directory the node can write, or can create; checked at start so a bad path fails there, not at the first change. */
    private static String writableDirectory(String text) {
        try {
            Path path = Path.of(text);
            if (text.isEmpty()) {
                return null;
            }
            Files.createDirectories(path);
            return Files.isDirectory(path) && Files.isWritable(path) ? text : null;
        } catch (java.io.IOException | InvalidPathException | SecurityException e) {
            return null;
        }
    }

    /** Two listeners on one port fail at bind time, on one node only; say so before the node starts. */
    private static void checkDistinctPorts(Section server, Section admin, Section tls,
                                           ServerConfig serverConfig, AdminConfig adminConfig) {
        int serverPort = serverConfig.port();
        int adminPort = adminConfig.port();
        if (clash(server, admin, serverPort, adminPort) && !admin.reject("port", "a port other than server.port, or 0")) {
            server.reject("port", "a port other than admin.port, or 0");
        }
        serverConfig.tls().ifPresent(t -> {
            if (clash(server, tls, serverPort, t.port()) || clash(admin, tls, adminPort, t.port())) {
                tls.reject("port", "a port other than server.port and admin.port, or 0");
            }
        });
    }

    private static final long MIB = 1024 * 1024;
    private static final long DEFAULT_CACHE_HEAP = ClusterConfig.DEFAULT_CACHE_HEAP_MEGABYTES * MIB;
    private static final long MAX_CACHE_HEAP = 1024 * 1024 * MIB;

    private static boolean clash(Section a, Section b, int portA, int portB) {
        return portA == portB && portA != 0 && !a.failed("port") && !b.failed("port");
    }

    private static ClusterConfig cluster(Section s) {
        Section kubernetes = s.child("kubernetes", "serviceDns");
        Section cache = s.child("cache", "maxHeap", "nearCacheEntries");
        if (cache.has("maxHeap") && !cache.failed("maxHeap")
                && cache.get("maxHeap", ValueTypes.byteSize(MAX_CACHE_HEAP), DEFAULT_CACHE_HEAP) < MIB) {
            cache.reject("maxHeap", "at least 1MiB");
        }
        List<String> members = s.list("members", Addresses.member(),
                "a sequence of members such as [10.0.0.5, \"10.0.0.6:5701\"]", ENV_CLUSTER_MEMBERS);
        Optional<String> serviceDns = kubernetes.optional("serviceDns", Addresses.dnsName(),
                ENV_KUBERNETES_SERVICE_DNS);
        if (!members.isEmpty() && serviceDns.isPresent()) {
            String expected = "only one of cluster.members and cluster.kubernetes.serviceDns";
            // Point at the environment when it caused the clash: the file alone may be fine.
            if (s.fromEnv("members")) {
                s.reject("members", expected);
            } else {
                kubernetes.reject("serviceDns", expected);
            }
        }
        return new ClusterConfig(
                s.get("name", ValueTypes.matching("[A-Za-z0-9._-]+", "a name of letters, digits, \".\", \"_\" and \"-\""),
                        "gridgate", ENV_CLUSTER_NAME),
                s.get("bindAddress", Addresses.bindAddress(), "127.0.0.1", ENV_CLUSTER_BIND_ADDRESS),
                s.get("port", ValueTypes.port(), 5701, ENV_CLUSTER_PORT),
                members,
                serviceDns,
                s.optional("zone", ServicesReader.NAME, ENV_ZONE),
                (int) ((cache.get("maxHeap", ValueTypes.byteSize(MAX_CACHE_HEAP), DEFAULT_CACHE_HEAP) + MIB - 1) / MIB),
                cache.get("nearCacheEntries", ValueTypes.integer(1, 1_000_000),
                        ClusterConfig.DEFAULT_NEAR_CACHE_ENTRIES),
                s.optional("dataDir", ValueType.text("a writable directory (it is created if missing)",
                        GatewayReader::writableDirectory), ENV_DATA_DIR),
                s.get("expectedMembers", ValueTypes.integer(0, 1000), 0, ENV_EXPECTED_MEMBERS),
                s.get("expectedMembersGrace", Durations.type(), ClusterConfig.DEFAULT_EXPECTED_MEMBERS_GRACE));
    }
}
