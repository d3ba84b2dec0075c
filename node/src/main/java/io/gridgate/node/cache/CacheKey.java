package io.gridgate.node.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The SHA-256 of an unambiguous encoding of what identifies a cached response: every part is
 * length-prefixed (an absent one as length -1) and every list count-prefixed, so no two different
 * requests encode alike however their parts are split.
 */
final class CacheKey {

    private static final byte[] VERSION = "gridgate-cache-key-v1".getBytes(StandardCharsets.UTF_8);
    private static final Comparator<String[]> BY_NAME_THEN_VALUE = Comparator
            .comparing((String[] p) -> p[0])
            .thenComparing(p -> p[1], Comparator.nullsFirst(Comparator.naturalOrder()));

    /** One digest per thread, reset after each key: looking one up in the providers costs more than hashing a key. */
    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    });

    private final MessageDigest digest;
    private final byte[] scratch = new byte[4];

    private CacheKey() {
        digest = DIGESTS.get();
        digest.reset();
        digest.update(VERSION);
    }

    static String of(String method, String host, String path, String query, Headers request,
                     Collection<String> varyHeaderNames, List<String> keyHeaders, String consumer) {
        CacheKey key = new CacheKey();
        key.part(method);
        key.part(host == null ? null : host.toLowerCase(Locale.ROOT));
        key.part(path);
        key.query(query);
        key.headers(request, new ArrayList<>(normalizedNames(varyHeaderNames)));
        key.headers(request, keyHeaders);
        key.part(consumer);
        return HexFormat.of().formatHex(key.digest.digest());
    }

    /** Header names lower-cased, trimmed, de-duplicated and sorted, so {@code Vary} order does not matter. */
    static TreeSet<String> normalizedNames(Collection<String> names) {
        TreeSet<String> normalized = new TreeSet<>();
        for (String name : names) {
            String trimmed = name.trim();
            if (!trimmed.isEmpty()) {
                normalized.add(trimmed.toLowerCase(Locale.ROOT));
            }
        }
        return normalized;
    }

    /** Parameters sorted by name then value, repeats kept; {@code a} (no '=') and {@code a=} differ. */
    private void query(String query) {
        if (query == null || query.isEmpty()) {
            count(0);
            return;
        }
        List<String[]> params = new ArrayList<>();
        for (String param : query.split("&")) {
            if (!param.isEmpty()) {
                int eq = param.indexOf('=');
                params.add(eq < 0 ? new String[] {param, null}
                        : new String[] {param.substring(0, eq), param.substring(eq + 1)});
            }
        }
        params.sort(BY_NAME_THEN_VALUE);
        count(params.size());
        for (String[] param : params) {
            part(param[0]);
            part(param[1]);
        }
    }

    /** Each header's name and its list elements trimmed and joined by ',' (absent differs from empty). */
    private void headers(Headers request, List<String> names) {
        count(names.size());
        for (String name : names) {
            part(name);
            List<String> lines = request.all(name);
            part(lines.isEmpty() ? null : String.join(",", HeaderLists.elements(lines)));
        }
    }

    private void part(String value) {
        if (value == null) {
            count(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        count(bytes.length);
        digest.update(bytes);
    }

    private void count(int n) {
        // One update of four bytes: each call into the digest costs more than the hashing of a few bytes.
        scratch[0] = (byte) (n >>> 24);
        scratch[1] = (byte) (n >>> 16);
        scratch[2] = (byte) (n >>> 8);
        scratch[3] = (byte) n;
        digest.update(scratch, 0, 4);
    }
}
