/**
 * Load balancing as pure decisions: {@link io.gridgate.node.balancer.LoadBalancers} builds an
 * immutable {@link io.gridgate.node.balancer.LoadBalancer} once per set of
 * {@link io.gridgate.node.balancer.Candidate}s (round robin, smooth weighted round robin, power of
 * two choices, weighted random, consistent hashing), and each {@code pick} is lock-free and
 * allocation-free. Nothing here touches the network; the upstream applies the choice.
 */
package io.gridgate.node.balancer;
