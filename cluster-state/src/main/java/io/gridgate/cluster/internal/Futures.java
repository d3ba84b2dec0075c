package io.gridgate.cluster.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hazelcast runs the callbacks of its futures on {@code ForkJoinPool.commonPool()}, and on a JVM
 * that sees one CPU that pool starts a new thread per callback: in a benchmark on one core, about
 * 270 µs per rate-limit decision went to thread creation. The futures handed out here complete on
 * the thread that completed the grid operation instead; callers only hop to their own I/O thread.
 */
final class Futures {

    private Futures() {
    }

    static <T> CompletableFuture<T> direct(CompletionStage<T> grid) {
        CompletableFuture<T> result = new CompletableFuture<>();
        grid.whenCompleteAsync((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }, Runnable::run);
        return result;
    }
}
