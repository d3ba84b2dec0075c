package io.gridgate.node.config;

import java.util.Optional;

/**
 * The admin listener: health probes, service heartbeats, and later the admin API.
 *
 * @param registrationToken the bearer token services present to register; without it registration is off
 * @param token the bearer token operators present to the admin API; without it the admin API is off
 */
public record AdminConfig(String bindAddress, int port, Optional<String> registrationToken, Optional<String> token) {

    /** Never prints the token, so a logged config leaks no secret. */
    @Override
    public String toString() {
        return "AdminConfig[bindAddress=" + bindAddress + ", port=" + port + ", registrationToken="
                + registrationToken.map(t -> "(hidden)").orElse("(none)")
                + ", token=" + token.map(t -> "(hidden)").orElse("(none)") + "]";
    }
}
