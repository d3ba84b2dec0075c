/**
 * The gateway node: {@link io.gridgate.node.Main} reads the config and starts a
 * {@link io.gridgate.node.GatewayNode}, which owns the listeners, the grid member and the route
 * table, and drains on SIGTERM.
 */
package io.gridgate.node;
