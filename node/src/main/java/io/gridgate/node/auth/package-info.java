/**
 * Who is calling: JWT verification with pinned algorithms and rotating key sets
 * ({@link io.gridgate.node.auth.JwtVerifier}), API keys of consumers kept hashed in the grid, the
 * {@link io.gridgate.node.auth.Identity} a request proves, and the per-route rules that decide
 * whether that identity may use the route.
 */
package io.gridgate.node.auth;
