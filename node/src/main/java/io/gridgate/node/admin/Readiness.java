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
    private volatile boolean started;
    private volatile boolean draining;

    /** Adds a check; call before {@link #started()}. */
    public synchronized Readiness check(String name, BooleanSupplier check) {
        checks.put(name, check);
        return this;
    }

    /** Called once every listener accepts traffic; until then the node is not ready, whatever its checks say. */
    public void started() {
        started = true;
    }

    public void draining() {
        draining = true;
    }

    /** {@code started}, each check's state, and {@code notDraining}; ready when all are true. */
    public synchronized Map<String, Boolean> states() {
        Map<String, Boolean> states = new LinkedHashMap<>();
        states.put("started", started);
        checks.forEach((name, check) -> states.put(name, check.getAsBoolean()));
        states.put("notDraining", !draining);
        return states;
    }
}
