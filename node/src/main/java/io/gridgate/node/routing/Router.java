package io.gridgate.node.routing;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the route table in force. A new table replaces the old one in a single write, so a request
 * sees either the old table or the new one, never a mix.
 */
public final class Router {

    private final AtomicReference<RouteTable> table;

    public Router(RouteTable table) {
        this.table = new AtomicReference<>(table);
    }

    public RouteTable table() {
        return table.get();
    }

    /** Swaps in a new table and returns the one it replaced, for the caller to retire. */
    public RouteTable replace(RouteTable next) {
        return table.getAndSet(next);
    }
}
