package io.gridgate.node.config;

import java.util.Optional;

/**
 * How a route spreads requests over the instances of a service.
 *
 * @param hashOn what consistent hashing hashes; present exactly when the strategy is {@code consistentHash}
 * @param zoneAware prefer instances in this node's zone while any of them is available
 */
public record LoadBalancerConfig(Strategy strategy, Optional<HashOn> hashOn, boolean zoneAware) {

    public static final LoadBalancerConfig DEFAULT = new LoadBalancerConfig(Strategy.ROUND_ROBIN, Optional.empty(), true);

    /** The choice of instance. */
    public enum Strategy {
        ROUND_ROBIN,
        /** Round robin in proportion to the instances' weights, interleaved rather than in bursts. */
        WEIGHTED_ROUND_ROBIN,
        /** Power of two choices: the less busy of two random instances, by requests in flight from this node. */
        LEAST_REQUEST,
        RANDOM,
        /** The same key to the same instance (sticky sessions); when one of N leaves, about 1/N of keys move. */
        CONSISTENT_HASH
    }

    /** The request property consistent hashing uses; a request without it is balanced round robin. */
    public record HashOn(Source source, String name) {

        /** Where the key comes from; {@code name} is empty for {@link Source#CLIENT_IP}. */
        public enum Source { HEADER, COOKIE, CLIENT_IP }
    }
}
