package io.gridgate.node.pipeline;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts requests in flight so a stopping node can wait for them, and once draining answers new
 * requests (on connections already open) with {@code 503 shutting_down} and {@code Connection:
 * close}, so clients retry on another node. Only the draining thread ever waits; the I/O threads
 * increment, decrement, and signal once the count reaches zero while draining.
 */
public final class DrainHandler implements HttpHandler {

    private final HttpHandler next;
    private final AtomicLong active = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean draining;

    public DrainHandler(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (draining) {
            exchange.setPersistent(false);
            exchange.getResponseHeaders().put(Headers.CONNECTION, Headers.CLOSE.toString());
            LocalReply.send(exchange, Reason.SHUTTING_DOWN);
            return;
        }
        active.incrementAndGet();
        exchange.addExchangeCompleteListener((ex, nextListener) -> {
            if (active.decrementAndGet() == 0 && draining) {
                signalIdle();
            }
            nextListener.proceed();
        });
        next.handleRequest(exchange);
    }

    /** Refuses new requests from now on. */
    public void startDraining() {
        draining = true;
    }

    /** Waits until no request is in flight, or the timeout passes; true when none is left. */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (active.get() > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = idle.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    public long inFlight() {
        return active.get();
    }

    private void signalIdle() {
        lock.lock();
        try {
            idle.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
