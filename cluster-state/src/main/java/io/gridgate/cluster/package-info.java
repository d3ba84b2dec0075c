/**
 * Gridgate's shared state, as narrow asynchronous interfaces: the rest of Gridgate talks to the
 * cluster only through the types here and never sees Hazelcast. Implementations live in
 * {@code internal}, the one package allowed to import {@code com.hazelcast}.
 */
package io.gridgate.cluster;
