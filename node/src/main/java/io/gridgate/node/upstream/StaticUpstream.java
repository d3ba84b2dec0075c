package io.gridgate.node.upstream;

import io.gridgate.node.resilience.Breaker;
import io.gridgate.node.resilience.RetryBudget;
import io.undertow.server.HttpServerExchange;

/** An upstream that is one fixed URL from the config. */
final class StaticUpstream implements Upstream {

    private final Endpoint endpoint;
    private final Breaker breaker;
    private final RetryBudget retryBudget;

    StaticUpstream(Endpoint endpoint, Breaker breaker, RetryBudget retryBudget) {
        this.endpoint = endpoint;
        this.breaker = breaker;
        this.retryBudget = retryBudget;
    }

    @Override
    public Endpoint choose(HttpServerExchange exchange) {
        return endpoint;
    }

    @Override
    public String name() {
        return endpoint.toString();
    }

    @Override
    public Breaker breaker() {
        return breaker;
    }

    @Override
    public RetryBudget retryBudget() {
        return retryBudget;
    }
}
