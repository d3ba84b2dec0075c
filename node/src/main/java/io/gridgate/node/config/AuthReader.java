package io.gridgate.node.config;

import io.gridgate.node.config.AuthConfig.ApiKeys;
import io.gridgate.node.config.AuthConfig.Consumer;
import io.gridgate.node.config.AuthConfig.IdentityHeaders;
import io.gridgate.node.config.AuthConfig.JwtIssuer;
import io.gridgate.node.config.Problems.Where;
import io.gridgate.node.config.ValueType.Checked;
import io.gridgate.node.config.YamlNode.Entry;
import io.gridgate.node.config.YamlNode.Mapping;
import io.gridgate.node.config.YamlNode.Scalar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code auth}: the JWT issuers, where clients send API keys, the consumers and the identity
 * headers. Secrets (HMAC secrets, API keys) never appear in an error: it shows {@code (hidden)} and
 * where the value is written.
 */
final class AuthReader {

    static final String[] KEYS = {"jwt", "apiKeys", "consumers", "identityHeaders"};
    /** What an error shows in place of a secret. */
    static final String HIDDEN = "(hidden)";
    static final ValueType<String> HEADER = ValueTypes.token("a header name", name -> name);
    /** An RFC 6749 scope-token: visible ASCII but {@code "} and {@code \}. */
    static final ValueType<String> SCOPE = ValueTypes.matching("[\\x21\\x23-\\x5b\\x5d-\\x7e]+",
            "a scope of visible ASCII characters other than \" and \\");
    static final ValueType<String> ROLE = ValueTypes.matching("[\\x21-\\x7e]+", "a role of visible ASCII characters");

    private static final String ID_PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";
    private static final String API_KEY = "an API key of 16 to 256 visible ASCII characters";
    private static final Pattern API_KEY_SYNTAX = Pattern.compile("[\\x21-\\x7e]{16,256}");
    private static final String[] CONSUMER_KEYS = {"id", "apiKeys", "scopes", "roles"};
    /** Headers the gateway sets or strips itself: an identity header there would be lost or break framing. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection",
            "keep-alive", "te", "trailer", "upgrade", "proxy-connection");
    private static final String NOT_RESERVED =
            "a header other than Host, Content-Length, Transfer-Encoding and the hop-by-hop headers";

    /** A header that some auth setting uses; {@code where} is empty for a default. */
    record HeaderUse(String label, String name, Optional<Where> where) {
    }

    private record KeyUse(String consumer, int line) {
    }

    private AuthReader() {
    }

    /** An absent section reads as {@link AuthConfig#NONE}. */
    static AuthConfig read(Section s) {
        if (!s.present()) {
            return AuthConfig.NONE;
        }
        List<HeaderUse> credentialHeaders = new ArrayList<>();
        List<JwtIssuer> jwt = JwtIssuerReader.read(s, credentialHeaders);
        ApiKeys apiKeys = apiKeys(s.child("apiKeys", "header", "query"), credentialHeaders);
        List<Consumer> consumers = consumers(s);
        IdentityHeaders identityHeaders = identityHeaders(s.child("identityHeaders", "consumer", "subject", "claims"),
                credentialHeaders);
        return new AuthConfig(jwt, apiKeys, consumers, identityHeaders);
    }

    static ValueType<String> nonEmpty(String expected) {
        return ValueType.text(expected, text -> text.isEmpty() ? null : text);
    }

    /**
     * The {@code id} of an item of a list, which must be unique in it; {@code null} when missing or invalid.
     *
     * @param what the id as the error names it, such as "an issuer id"
     */
    static String uniqueId(Section s, String what, Map<String, Integer> idLines) {
        String id = s.required("id", ValueTypes.matching(ID_PATTERN, what + " matching " + ID_PATTERN), what);
        if (id != null) {
            s.value("id").ifPresent(node -> {
                Integer first = idLines.putIfAbsent(id, node.line());
                if (first != null) {
                    s.reject("id", "a unique " + what.substring(what.indexOf(' ') + 1) + "; first used at line " + first);
                }
            });
        }
        return id;
    }

    /** Reports the value of {@code key} as {@code shown}, for values that must not be printed. */
    static void reject(Section s, String key, YamlNode node, String shown, String expected) {
        if (node instanceof Scalar scalar && scalar.type() == Scalar.Type.ALIAS) {
            return; // reported where it was parsed
        }
        Problems problems = s.reading().problems();
        problems.reject(problems.at(node, s.pathOf(key)), shown, expected);
    }

    private static ApiKeys apiKeys(Section s, List<HeaderUse> credentialHeaders) {
        String header = s.get("header", HEADER, ApiKeys.DEFAULT.header());
        credentialHeaders.add(new HeaderUse("apiKeys.header", header,
                s.isSet("header") ? s.where("header") : Optional.empty()));
        return new ApiKeys(header, s.optional("query", ValueTypes.matching(".+", "a query parameter name")));
    }

    private static List<Consumer> consumers(Section auth) {
        List<YamlNode> items = auth.sequence("consumers",
                "a sequence of consumers such as [{id: mobile-app, apiKeys: [...]}]");
        List<Consumer> consumers = new ArrayList<>();
        Map<String, Integer> idLines = new HashMap<>();
        Map<String, KeyUse> keyUses = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Section s = auth.reading().section(items.get(i), auth.pathOf("consumers") + "/" + i, CONSUMER_KEYS);
            String id = uniqueId(s, "a consumer id", idLines);
            List<String> apiKeys = consumerKeys(s, id == null ? "#" + (i + 1) : id, keyUses);
            List<String> scopes = s.list("scopes", SCOPE, "a sequence of scopes such as [orders:read]", null);
            List<String> roles = s.list("roles", ROLE, "a sequence of roles such as [admin]", null);
            if (id != null) {
                consumers.add(new Consumer(id, apiKeys, scopes, roles));
            }
        }
        return consumers;
    }

    /** A key names one consumer, so it is unique across all of them; errors say where, never what. */
    private static List<String> consumerKeys(Section s, String consumer, Map<String, KeyUse> uses) {
        Problems problems = s.reading().problems();
        String expected = "a sequence of API keys";
        // A single key written without brackets is still a key: the shape error must not print it.
        Optional<YamlNode> written = s.value("apiKeys");
        if (written.isPresent() && written.get() instanceof Scalar scalar && scalar.isText()) {
            reject(s, "apiKeys", scalar, HIDDEN, expected);
            return List.of();
        }
        List<YamlNode> items = s.sequence("apiKeys", expected);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            YamlNode node = items.get(i);
            String path = s.pathOf("apiKeys") + "/" + i;
            if (!(node instanceof Scalar scalar && scalar.isText())) {
                problems.reject(node, path, API_KEY);
            } else if (!API_KEY_SYNTAX.matcher(scalar.text()).matches()) {
                problems.reject(problems.at(node, path), HIDDEN, API_KEY);
            } else {
                KeyUse first = uses.putIfAbsent(scalar.text(), new KeyUse(consumer, node.line()));
                if (first == null) {
                    keys.add(scalar.text());
                } else {
                    problems.reject(problems.at(node, path), HIDDEN, "each API key once; consumer "
                            + first.consumer() + " already has it, at line " + first.line());
                }
            }
        }
        return keys;
    }

    private static IdentityHeaders identityHeaders(Section s, List<HeaderUse> credentialHeaders) {
        IdentityHeaders d = IdentityHeaders.DEFAULT;
        String consumer = s.get("consumer", HEADER, d.consumer());
        String subject = s.get("subject", HEADER, d.subject());
        List<HeaderUse> uses = new ArrayList<>();
        if (!s.failed("consumer")) {
            uses.add(new HeaderUse("identityHeaders.consumer", consumer, s.where("consumer")));
        }
        if (!s.failed("subject")) {
            uses.add(new HeaderUse("identityHeaders.subject", subject, s.where("subject")));
        }
        Map<String, String> claims = claims(s, uses);
        checkHeaders(s.reading().problems(), uses, credentialHeaders);
        return new IdentityHeaders(consumer, subject, claims);
    }

    private static Map<String, String> claims(Section s, List<HeaderUse> uses) {
        Optional<YamlNode> node = s.value("claims");
        if (node.isEmpty() || node.get() instanceof Scalar scalar && scalar.isNull()) {
            return Map.of();
        }
        Problems problems = s.reading().problems();
        if (!(node.get() instanceof Mapping mapping)) {
            problems.reject(node.get(), s.pathOf("claims"),
                    "a mapping of claim name to header name, such as {email: X-Auth-Email}");
            return Map.of();
        }
        Map<String, String> claims = new LinkedHashMap<>();
        for (Entry entry : mapping.entries()) {
            String path = s.pathOf("claims") + "/" + YamlNode.pointerToken(entry.key());
            Checked<String> header = HEADER.check(entry.value());
            if (entry.key().isEmpty()) {
                problems.reject(problems.at(entry.line(), entry.column(), path), "\"\"", "a claim name");
            } else if (!header.ok()) {
                problems.reject(entry.value(), path, header.expected());
            } else {
                claims.put(entry.key(), header.value());
                uses.add(new HeaderUse("identityHeaders.claims." + entry.key(), header.value(),
                        Optional.of(problems.at(entry.value(), path))));
            }
        }
        return claims;
    }

    /**
     * Each identity header carries one thing, and none is a header that framing or a credential
     * needs: the gateway removes what clients send in them. The error goes to the header written
     * last, or to the one written at all when the other is a default.
     */
    private static void checkHeaders(Problems problems, List<HeaderUse> identity, List<HeaderUse> credentials) {
        Map<String, HeaderUse> taken = new HashMap<>();
        for (HeaderUse credential : credentials) {
            taken.putIfAbsent(credential.name().toLowerCase(Locale.ROOT), credential);
        }
        for (HeaderUse use : identity) {
            String name = use.name().toLowerCase(Locale.ROOT);
            if (RESERVED.contains(name)) {
                use.where().ifPresent(where -> problems.reject(where, YamlNode.quote(use.name()), NOT_RESERVED));
                continue;
            }
            HeaderUse other = taken.putIfAbsent(name, use);
            if (other != null) {
                HeaderUse blamed = use.where().isPresent() ? use : other;
                HeaderUse kept = blamed == use ? other : use;
                blamed.where().ifPresent(where -> problems.reject(where, YamlNode.quote(blamed.name()),
                        "a header no other identity or credential header uses; " + kept.label() + " uses " + kept.name()));
            }
        }
    }
}
