package io.gridgate.node.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Whether this node should receive traffic: every named check must hold. A draining node reports
 * not ready at once, so balancers stop sending before its listeners close.
 */
public final class Readiness {

    private final Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
    private volatile boolean draining;

    /** Adds a check; call before the admin listener starts. */
    public Readiness check(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    public void draining() {
        draining = true;
    }

    /** Each check's state, plus {@code notDraining}; ready when all are true. */
    public Map<String, Boolean> states() {
        Map<String, Boolean> states = new LinkedHashMap<>();
        checks.forEach((name, check) -> states.put(name, check.getAsBoolean()));
        states.put("notDraining", !draining);
        return states;
    }
}
