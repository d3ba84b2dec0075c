package io.gridgate.node.routing;

import io.gridgate.node.pipeline.Snapshot;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the snapshot in force: the route table and what else requests read of one configuration
 * version. A new snapshot replaces the old one in a single write, so a request sees either the old
 * version or the new one, never a mix.
 */
public final class Router {

    private final AtomicReference<Snapshot> current;

    public Router(Snapshot first) {
        this.current = new AtomicReference<>(first);
    }

    public Snapshot snapshot() {
        return current.get();
    }

    public RouteTable table() {
        return current.get().routes();
    }

    /** Swaps in a new snapshot and returns the one it replaced, for the caller to retire. */
    public Snapshot replace(Snapshot next) {
        return current.getAndSet(next);
    }
}
