package io.gridgate.node.cache;

import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;

import java.util.concurrent.CompletableFuture;

/** Continues an exchange when a value it waits for arrives, on the exchange's own I/O thread. */
final class Resume {

    private Resume() {
    }

    interface Step<T> {
        void run(HttpServerExchange exchange, T value) throws Exception;
    }

    /** Runs the step at once when the value is there, else when it arrives, on the exchange's I/O thread. */
    static <T> void whenDone(HttpServerExchange exchange, CompletableFuture<T> future, Step<T> step) throws Exception {
        if (future.isDone()) {
            step.run(exchange, future.join());
            return;
        }
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> future.whenComplete((value, e) ->
                resume(exchange, ex -> step.run(ex, value))));
    }

    /**
     * Continues the exchange on its I/O thread inside a root-handler call, which ends it on return
     * unless the step answered it, dispatched it again, or passed it on.
     */
    static void resume(HttpServerExchange exchange, HttpHandler step) {
        exchange.getIoThread().execute(() -> Connectors.executeRootHandler(step, exchange));
    }
}
