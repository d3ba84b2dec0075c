package io.gridgate.node.ratelimit;

import io.gridgate.cluster.InFlightCounter;
import io.gridgate.node.config.ConcurrencyConfig;
import io.gridgate.node.config.RouteConfig;
import io.gridgate.node.pipeline.LocalReply;
import io.gridgate.node.pipeline.Reason;
import io.gridgate.node.routing.RouteMatch;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.WorkerUtils;
import org.xnio.XnioExecutor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the requests in flight per route and key on this node. A request over the bound waits,
 * parked (no thread waits), in a short queue; it runs when a slot frees, or is refused with 503 or
 * 429 at the queue's deadline or when the queue is full. Slots are released when the exchange
 * completes, however it completes.
 */
public final class ConcurrencyHandler implements HttpHandler {

    /** Past this many keys, idle gates are dropped; a busy key keeps its gate. */
    static final int SWEEP_ABOVE = 100_000;

    /** How long a cluster-scoped limit waits for the grid before admitting uncounted. */
    static final long GRID_TIMEOUT_MILLIS = 100;

    private final InFlightCounter cluster;
    private final HttpHandler next;
    private final Map<String, ConcurrencyGate> gates = new ConcurrentHashMap<>();

    public ConcurrencyHandler(InFlightCounter cluster, HttpHandler next) {
        this.cluster = cluster;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        RouteConfig route = exchange.getAttachment(RouteMatch.KEY).route().config();
        if (route.concurrency().isEmpty()) {
            next.handleRequest(exchange);
            return;
        }
        enter(exchange, route, 0);
    }

    private void enter(HttpServerExchange exchange, RouteConfig route, int index) throws Exception {
        if (index == route.concurrency().size()) {
            next.handleRequest(exchange);
            return;
        }
        ConcurrencyConfig limit = route.concurrency().get(index);
        if (limit.scope() == ConcurrencyConfig.Scope.CLUSTER) {
            enterCluster(exchange, route, index, limit);
            return;
        }
        if (gates.size() > SWEEP_ABOVE) {
            gates.values().removeIf(ConcurrencyGate::idle);
        }
        ConcurrencyGate gate = gates.computeIfAbsent(key(exchange, route, limit),
                k -> new ConcurrencyGate(limit.maxInFlight(), limit.queueSize()));
        QueuedRequest waiter = new QueuedRequest(exchange, route, index, gate);
        switch (gate.enter(waiter)) {
            case ADMITTED -> admitted(exchange, route, index, gate);
            case QUEUED -> waiter.park(limit);
            case REFUSED -> refuse(exchange, limit);
        }
    }

    private void admitted(HttpServerExchange exchange, RouteConfig route, int index, ConcurrencyGate gate) throws Exception {
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            gate.release();
            nextListener.proceed();
        });
        enter(exchange, route, index + 1);
    }

    /**
     * Cluster scope: one entry processor on the key's owner decides, with no queue (a wait would
     * need wake-ups across nodes). If the grid is slow, the request is admitted uncounted: a limit
     * that protects capacity should not itself take capacity away.
     */
    private void enterCluster(HttpServerExchange exchange, RouteConfig route, int index, ConcurrencyConfig limit) {
        String key = key(exchange, route, limit);
        CompletableFuture<Boolean> entered = cluster.tryEnter(key, limit.maxInFlight()).toCompletableFuture();
        CompletableFuture<Boolean> decided = entered.copy().completeOnTimeout(null, GRID_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> decided.whenComplete((counted, error) ->
                exchange.getIoThread().execute(() -> Connectors.executeRootHandler(ex -> {
                    if (Boolean.FALSE.equals(counted)) {
                        refuse(ex, limit);
                        return;
                    }
                    if (Boolean.TRUE.equals(counted)) {
                        ex.addExchangeCompleteListener((done, nextListener) -> {
                            cluster.release(key);
                            nextListener.proceed();
                        });
                    } else {
                        // Admitted uncounted; if the grid counts it after all, give the slot back.
                        entered.thenAccept(late -> {
                            if (Boolean.TRUE.equals(late)) {
                                cluster.release(key);
                            }
                        });
                    }
                    enter(ex, route, index + 1);
                }, exchange))));
    }

    private static void refuse(HttpServerExchange exchange, ConcurrencyConfig limit) {
        LocalReply.send(exchange, limit.refuseWith() == 429 ? Reason.TOO_MANY_IN_FLIGHT : Reason.OVERLOADED,
                "concurrency limit " + limit.id() + " reached: " + limit.maxInFlight() + " requests in flight");
    }

    private static String key(HttpServerExchange exchange, RouteConfig route, ConcurrencyConfig limit) {
        return RequestKeys.of(route.id() + "|" + limit.id(), limit.key(), route.id(), exchange);
    }

    /** A parked request; whichever of a free slot and its deadline comes first decides. */
    private final class QueuedRequest implements ConcurrencyGate.Waiter {
        private final HttpServerExchange exchange;
        private final RouteConfig route;
        private final int index;
        private final ConcurrencyGate gate;
        private volatile XnioExecutor.Key deadline;

        QueuedRequest(HttpServerExchange exchange, RouteConfig route, int index, ConcurrencyGate gate) {
            this.exchange = exchange;
            this.route = route;
            this.index = index;
            this.gate = gate;
        }

        void park(ConcurrencyConfig limit) {
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> deadline = WorkerUtils.executeAfter(
                    exchange.getIoThread(), () -> gate.expire(this), limit.queueTimeout().toMillis(), TimeUnit.MILLISECONDS));
        }

        @Override
        public void admitted() {
            exchange.getIoThread().execute(() -> {
                XnioExecutor.Key key = deadline;
                if (key != null) {
                    key.remove();
                }
                Connectors.executeRootHandler(ex -> ConcurrencyHandler.this.admitted(ex, route, index, gate), exchange);
            });
        }

        @Override
        public void timedOut() {
            Connectors.executeRootHandler(ex -> refuse(ex, route.concurrency().get(index)), exchange);
        }
    }
}
