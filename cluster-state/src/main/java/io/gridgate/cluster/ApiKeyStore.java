package io.gridgate.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * API keys of consumers, kept by the SHA-256 of the key: the grid never holds a key itself, and a
 * lookup compares digests, so its timing tells nothing about the key. Each member caches what it
 * looked up and drops an entry as soon as the grid says it changed.
 */
public interface ApiKeyStore {

    /** The consumer that holds the key with this digest (64 lowercase hex characters), if any. */
    CompletionStage<Optional<ApiKeyOwner>> find(String keyDigest);

    /** Stores the owners of these key digests, replacing what the digests named before. */
    CompletionStage<Void> putAll(Map<String, ApiKeyOwner> owners);

    /** Forgets a key; its consumer can no longer use it on any member. */
    CompletionStage<Void> remove(String keyDigest);
}
