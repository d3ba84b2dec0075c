/**
 * Hazelcast-backed implementations of the grid interfaces. The only package of Gridgate that
 * imports {@code com.hazelcast}; an architecture test keeps it so.
 */
package io.gridgate.cluster.internal;
