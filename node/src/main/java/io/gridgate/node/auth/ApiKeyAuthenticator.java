package io.gridgate.node.auth;

import io.gridgate.cluster.ApiKeyOwner;
import io.gridgate.cluster.ApiKeyStore;
import io.gridgate.node.config.AuthConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Checks API keys against the consumers in the grid. Only a key's SHA-256 is looked up or stored:
 * keys are long random strings, so the digest alone protects them, and a lookup by digest reveals
 * nothing about the key through its timing.
 */
public final class ApiKeyAuthenticator {

    /** The method name routes use for API keys. */
    public static final String METHOD = "apiKey";
    private static final Verdict UNKNOWN = new Verdict.Rejected("the API key is not known");

    private final ApiKeyStore store;

    public ApiKeyAuthenticator(ApiKeyStore store) {
        this.store = store;
    }

    public CompletionStage<Verdict> verify(String key) {
        return store.find(digest(key)).thenApply(owner -> owner.<Verdict>map(ApiKeyAuthenticator::verified).orElse(UNKNOWN));
    }

    private static Verdict verified(ApiKeyOwner owner) {
        return new Verdict.Verified(new Identity(METHOD, owner.consumer(), Optional.empty(), Map.of(),
                Set.copyOf(owner.scopes()), Set.copyOf(owner.roles())));
    }

    /** Stores the keys of the consumers the config names, so any node can check them. */
    public CompletionStage<Void> seed(AuthConfig config) {
        Map<String, ApiKeyOwner> owners = new HashMap<>();
        for (AuthConfig.Consumer consumer : config.consumers()) {
            ApiKeyOwner owner = new ApiKeyOwner(consumer.id(), consumer.scopes(), consumer.roles());
            consumer.apiKeys().forEach(key -> owners.put(configuredDigest(key), owner));
        }
        return store.putAll(owners);
    }

    /** The prefix of a key written as its digest, as the cluster's shared configuration stores keys. */
    public static final String DIGEST_PREFIX = "sha256:";
    private static final java.util.regex.Pattern WRITTEN_DIGEST = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");

    /**
     * The digest of a key as the config writes it: {@code sha256:<64 lowercase hex>} is a digest
     * already (so a document can name a key without holding it), anything else is the key itself.
     */
    public static String configuredDigest(String configured) {
        return WRITTEN_DIGEST.matcher(configured).matches() ? configured.substring(DIGEST_PREFIX.length()) : digest(configured);
    }

    /** The lowercase hex SHA-256 of a key's UTF-8 bytes. */
    public static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
