package io.gridgate.node.config;

/** The admin listener: health probes, and later the admin API and service heartbeats. */
public record AdminConfig(String bindAddress, int port) {
}
