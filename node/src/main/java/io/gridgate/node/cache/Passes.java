package io.gridgate.node.cache;

import io.gridgate.node.cache.Storability.Reason;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys whose last response could not be stored for a reason that will hold for the next requests
 * too: for {@value #PASS_MILLIS} ms their misses skip single flight and go straight upstream, so
 * they do not queue behind one another waiting for a response that will not be shared.
 */
final class Passes {

    static final long PASS_MILLIS = 10_000;
    /** Refusals that will hold for the next requests too; the others depend on the request or the moment. */
    private static final Set<Reason> LASTING = EnumSet.of(Reason.PRIVATE, Reason.NO_STORE, Reason.NO_CACHE,
            Reason.SET_COOKIE, Reason.VARY_STAR, Reason.TOO_LARGE, Reason.NO_FRESHNESS);

    private final int maxKeys;
    private final ConcurrentHashMap<String, Long> until = new ConcurrentHashMap<>();

    /** @param maxKeys the bound; past it the remembered keys are forgotten at once */
    Passes(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    /** A response for the key was not stored, for the reason given. */
    void refused(String key, Reason reason) {
        if (key != null && LASTING.contains(reason)) {
            if (until.size() >= maxKeys) {
                until.clear();
            }
            until.put(key, System.currentTimeMillis() + PASS_MILLIS);
        }
    }

    /** Whether misses for the key go straight upstream now. */
    boolean passing(String key) {
        Long end = until.get(key);
        if (end == null) {
            return false;
        }
        if (System.currentTimeMillis() < end) {
            return true;
        }
        until.remove(key, end);
        return false;
    }
}
