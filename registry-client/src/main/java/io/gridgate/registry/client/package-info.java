/**
 * A client that keeps a Java service registered with a Gridgate cluster through the heartbeat API
 * on a node's admin port: {@link io.gridgate.registry.client.GridgateRegistration} registers the
 * instance, renews it every third of its TTL and deregisters it on close. It needs nothing beyond
 * the JDK ({@code java.net.http}, {@code java.util.logging}), so any service can depend on it
 * without a version conflict. The HTTP calls, the hand-written JSON and the validated instance are
 * package-private.
 */
package io.gridgate.registry.client;
