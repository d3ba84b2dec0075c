package io.gridgate.cluster.internal;

import io.gridgate.cluster.GridOperationObserver;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Times grid operations for the observer a node sets; free while none is set. */
final class OperationTimer {

    private volatile GridOperationObserver observer = GridOperationObserver.NONE;

    void observe(GridOperationObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** {@link Futures#direct} of the operation, reported to the observer when it completes. */
    <T> CompletableFuture<T> time(String operation, CompletionStage<T> grid) {
        GridOperationObserver current = observer;
        if (current == GridOperationObserver.NONE) {
            return Futures.direct(grid);
        }
        long start = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        grid.whenCompleteAsync((value, error) -> {
            current.completed(operation, System.nanoTime() - start, error != null);
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }, Runnable::run);
        return result;
    }
}
