package io.gridgate.cluster;

/**
 * Hears how long each grid operation took, for metrics. Called on whatever thread completed the
 * operation (often a partition thread): it must only record, never block or call the grid.
 */
@FunctionalInterface
public interface GridOperationObserver {

    /** Observes nothing. */
    GridOperationObserver NONE = (operation, nanos, failed) -> { };

    /**
     * @param operation a fixed name such as {@code rate_limit.acquire} or {@code cache.get}
     * @param nanos     from the call to its completion
     * @param failed    whether it completed with an error (a timeout, a member gone)
     */
    void completed(String operation, long nanos, boolean failed);
}
