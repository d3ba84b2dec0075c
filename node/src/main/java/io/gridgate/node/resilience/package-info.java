/**
 * What keeps a failing upstream from taking the gateway, or its own recovery, down: retry
 * decisions ({@link io.gridgate.node.resilience.RetryPolicy}), per-upstream retry budgets
 * ({@link io.gridgate.node.resilience.RetryBudget}) and circuit breakers whose trips the nodes share
 * ({@link io.gridgate.node.resilience.Breakers}). The proxy applies them; the decisions live here.
 */
package io.gridgate.node.resilience;
