package io.gridgate.node.config;

import io.gridgate.node.config.AuthConfig.JwtIssuer;
import io.gridgate.node.config.AuthConfig.JwtKey;
import io.gridgate.node.config.AuthConfig.TokenSource;
import io.gridgate.node.config.ValueType.Checked;
import io.gridgate.node.config.YamlNode.Scalar;
import io.gridgate.node.config.YamlNode.Sequence;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code auth.jwt}: the trusted token issuers, the keys each verifies with, and where tokens are found. */
final class JwtIssuerReader {

    static final String[] KEYS = {"id", "keys", "jwksUrl", "jwksRefresh", "jwksMinInterval", "issuer", "audience",
        "leeway", "requiredClaims", "consumerClaim", "from"};
    static final List<String> ALGORITHMS = List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512",
            "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

    private static final String[] KEY_KEYS = {"kid", "algorithm", "secret", "publicKey"};
    private static final String[] FROM_KEYS = {"header", "query", "cookie", "scheme"};
    private static final String ALGORITHM_EXPECTED = "one of " + String.join(", ", ALGORITHMS);
    private static final ValueType<String> ALGORITHM =
            ValueType.text(ALGORITHM_EXPECTED, text -> ALGORITHMS.contains(text) ? text : null);
    private static final ValueType<String> KID =
            ValueTypes.matching("[\\x21-\\x7e]{1,256}", "a key id of 1 to 256 visible ASCII characters");
    private static final ValueType<String> CLAIM = AuthReader.nonEmpty("a claim name");
    private static final ValueType<String> SCHEME = ValueTypes.matching("[!#$%&'*+\\-.^_`|~0-9A-Za-z]*",
            "an auth scheme such as Bearer, or \"\" for the whole header value");

    private JwtIssuerReader() {
    }

    /** @param credentialHeaders collects the header each issuer reads its token from */
    static List<JwtIssuer> read(Section auth, List<AuthReader.HeaderUse> credentialHeaders) {
        List<YamlNode> items = auth.sequence("jwt",
                "a sequence of issuers such as [{id: corp, jwksUrl: \"https://id.example.com/jwks.json\"}]");
        List<JwtIssuer> issuers = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Section s = auth.reading().section(items.get(i), auth.pathOf("jwt") + "/" + i, KEYS);
            JwtIssuer issuer = issuer(s, i, idLines, credentialHeaders);
            if (issuer != null) {
                issuers.add(issuer);
            }
        }
        return issuers;
    }

    private static JwtIssuer issuer(Section s, int index, Map<String, Integer> idLines,
                                    List<AuthReader.HeaderUse> headers) {
        String id = AuthReader.uniqueId(s, "an issuer id", idLines);
        List<JwtKey> keys = keys(s);
        Optional<URI> jwksUrl = s.optional("jwksUrl", Addresses.linkUrl()).map(URI::create);
        checkKeySource(s);
        Duration jwksRefresh = jwksOnly(s, "jwksRefresh", Duration.ofMinutes(10));
        Duration jwksMinInterval = jwksOnly(s, "jwksMinInterval", Duration.ofSeconds(30));
        Optional<String> issuer = s.optional("issuer",
                AuthReader.nonEmpty("the iss tokens carry, such as https://id.example.com"));
        List<String> audience = audience(s);
        Duration leeway = s.get("leeway", Durations.typeOrZero(), Duration.ofSeconds(30));
        List<String> requiredClaims = s.has("requiredClaims")
                ? s.list("requiredClaims", CLAIM, "a sequence of claim names such as [exp, sub]", null)
                : List.of("exp");
        String consumerClaim = s.get("consumerClaim", CLAIM, "sub");
        Section fromSection = s.child("from", FROM_KEYS);
        TokenSource from = from(fromSection);
        if (from.kind() == TokenSource.Kind.HEADER) {
            String label = "from.header of jwt issuer " + (id == null ? "#" + (index + 1) : id);
            headers.add(new AuthReader.HeaderUse(label, from.name(),
                    fromSection.isSet("header") ? fromSection.where("header") : Optional.empty()));
        }
        return id == null ? null : new JwtIssuer(id, keys, jwksUrl, jwksRefresh, jwksMinInterval, issuer, audience,
                leeway, requiredClaims, consumerClaim, from);
    }

    /**
     * An issuer needs something to verify with: keys written here, a key set to fetch, or both. Keys
     * that are written but wrong have errors of their own.
     */
    private static void checkKeySource(Section s) {
        if (!s.has("keys") && !s.has("jwksUrl")) {
            s.missingOneOf("keys, a jwksUrl, or both", "keys", "jwksUrl");
        } else if (!s.has("jwksUrl")) {
            s.value("keys").filter(node -> node instanceof Sequence sequence && sequence.items().isEmpty()
                            || node instanceof Scalar scalar && scalar.isNull())
                    .ifPresent(node -> s.reading().problems().reject(node, s.pathOf("keys"),
                            "at least one key, or a jwksUrl"));
        }
    }

    private static Duration jwksOnly(Section s, String key, Duration dflt) {
        Duration value = s.get(key, Durations.type(), dflt);
        if (s.has(key) && !s.has("jwksUrl") && !s.failed(key)) {
            s.reject(key, "no " + key + ", since only jwksUrl uses it");
        }
        return value;
    }

    /** A single audience may be written as a plain string. */
    private static List<String> audience(Section s) {
        ValueType<String> type = AuthReader.nonEmpty("an audience such as api");
        if (s.value("audience").orElse(null) instanceof Scalar scalar && !scalar.isNull()) {
            return s.optional("audience", type).map(List::of).orElse(List.of());
        }
        return s.list("audience", type, "an audience, or a sequence of them such as [api]", null);
    }

    private static List<JwtKey> keys(Section issuer) {
        List<YamlNode> items = issuer.sequence("keys",
                "a sequence of keys such as [{kid: k1, algorithm: RS256, publicKey: ...}]");
        List<JwtKey> keys = new ArrayList<>();
        Map<String, Integer> kidLines = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Section s = issuer.reading().section(items.get(i), issuer.pathOf("keys") + "/" + i, KEY_KEYS);
            JwtKey key = key(s, kidLines);
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static JwtKey key(Section s, Map<String, Integer> kidLines) {
        Optional<String> kid = s.optional("kid", KID);
        kid.ifPresent(k -> s.value("kid").ifPresent(node -> {
            Integer first = kidLines.putIfAbsent(k, node.line());
            if (first != null) {
                s.reject("kid", "a kid no other key of this issuer has; first at line " + first);
            }
        }));
        String algorithm = s.required("algorithm", ALGORITHM, ALGORITHM_EXPECTED);
        if (algorithm == null) {
            return null;
        }
        boolean hmac = algorithm.startsWith("HS");
        Optional<String> secret = hmac ? secret(s, algorithm) : Optional.empty();
        Optional<String> publicKey = hmac ? Optional.empty() : publicKey(s, algorithm);
        if (hmac) {
            s.value("publicKey").ifPresent(node -> AuthReader.reject(s, "publicKey", node, shownKey(node),
                    "no publicKey, since " + algorithm + " verifies with a secret"));
        } else {
            s.value("secret").ifPresent(node -> AuthReader.reject(s, "secret", node, AuthReader.HIDDEN,
                    "no secret, since " + algorithm + " verifies with a publicKey"));
        }
        return new JwtKey(kid, algorithm, secret, publicKey);
    }

    /** An HMAC key shorter than the hash weakens it (RFC 7518 3.2); the value never appears in errors. */
    private static Optional<String> secret(Section s, String algorithm) {
        int minBytes = Integer.parseInt(algorithm.substring(2)) / 8;
        String expected = "a secret of at least " + minBytes + " bytes for " + algorithm;
        Optional<YamlNode> node = s.value("secret");
        if (node.isEmpty()) {
            s.missing("secret", expected);
            return Optional.empty();
        }
        if (!(node.get() instanceof Scalar scalar && scalar.isText())) {
            s.reading().problems().reject(node.get(), s.pathOf("secret"), expected);
            return Optional.empty();
        }
        if (scalar.text().getBytes(StandardCharsets.UTF_8).length < minBytes) {
            AuthReader.reject(s, "secret", node.get(), AuthReader.HIDDEN, expected);
            return Optional.empty();
        }
        return Optional.of(scalar.text());
    }

    private static Optional<String> publicKey(Section s, String algorithm) {
        Optional<YamlNode> node = s.value("publicKey");
        if (node.isEmpty()) {
            s.missing("publicKey", "the PEM public key for " + algorithm);
            return Optional.empty();
        }
        if (!(node.get() instanceof Scalar scalar && scalar.isText())) {
            s.reading().problems().reject(node.get(), s.pathOf("publicKey"), PublicKeys.PEM);
            return Optional.empty();
        }
        Checked<String> checked = PublicKeys.check(scalar.text(), algorithm);
        if (!checked.ok()) {
            AuthReader.reject(s, "publicKey", node.get(), PublicKeys.shown(scalar.text()), checked.expected());
            return Optional.empty();
        }
        return Optional.of(scalar.text());
    }

    private static String shownKey(YamlNode node) {
        return node instanceof Scalar scalar && scalar.isText() ? PublicKeys.shown(scalar.text()) : node.render();
    }

    /** Absent: the {@code Authorization} header with the {@code Bearer} scheme. */
    private static TokenSource from(Section s) {
        if (!s.present()) {
            return TokenSource.BEARER;
        }
        Optional<String> header = s.optional("header", AuthReader.HEADER);
        Optional<String> query = s.optional("query", ValueTypes.matching(".+", "a query parameter name"));
        Optional<String> cookie = s.optional("cookie", ValueTypes.token("a cookie name", name -> name));
        Optional<String> scheme = s.optional("scheme", SCHEME);
        boolean conflict = s.exclusive("header", "query", "cookie");
        if (s.has("scheme") && !s.has("header") && !s.failed("scheme")) {
            s.reject("scheme", "no scheme, since only a header carries one");
        }
        if (!s.has("header") && !s.has("query") && !s.has("cookie")) {
            s.missingOneOf("where the token is: {header: NAME}, {query: NAME} or {cookie: NAME}",
                    "header", "query", "cookie");
        }
        if (conflict) {
            return TokenSource.BEARER;
        }
        if (header.isPresent()) {
            String dflt = "Authorization".equalsIgnoreCase(header.get()) ? "Bearer" : "";
            return new TokenSource(TokenSource.Kind.HEADER, header.get(), scheme.orElse(dflt));
        }
        return query.map(q -> new TokenSource(TokenSource.Kind.QUERY, q, ""))
                .or(() -> cookie.map(c -> new TokenSource(TokenSource.Kind.COOKIE, c, "")))
                .orElse(TokenSource.BEARER);
    }
}
