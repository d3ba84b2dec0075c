package io.gridgate.loadtest;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Counts a node's rate-limit grid round trips from its Hazelcast map statistics, read over JMX on loopback.
 *
 * <p>Every admitted rate-limit decision, exact or a lease, is one entry processor on the key's owner that writes the
 * key's counters, and the map counts each write as a put: the puts of the counter map are the round trips. A refused
 * decision writes nothing and is not counted; the rate-limit scenario's limits never refuse, and a refusal (429)
 * flags its run anyway. The node has no metric for this yet; this reads Hazelcast's own.
 */
final class GridStats implements AutoCloseable {

    /** The node's rate-limit counters, named in cluster-state's {@code HazelcastRateLimiter}. */
    static final String COUNTER_MAP = "gridgate.ratelimits";

    private final JMXServiceURL url;
    private JMXConnector connector;

    private GridStats(JMXServiceURL url) {
        this.url = url;
    }

    /**
     * The node's JVM flags for this: Hazelcast's MBeans, and the JDK's JMX agent on {@code port}, bound to loopback,
     * without authentication (nothing but this machine can reach it).
     */
    static List<String> jvmFlags(int port) {
        return List.of(
                "-Dhazelcast.jmx=true",
                "-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false");
    }

    /** Reads from the agent a node started with {@link #jvmFlags}; connects on the first read. */
    static GridStats at(int port) {
        try {
            return new GridStats(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
        } catch (IOException e) {
            throw new IllegalArgumentException("JMX port: " + port, e);
        }
    }

    /**
     * Writes to the counter map so far: 0 before the first rate-limited request; empty when they cannot be read (no
     * agent, or no Hazelcast MBeans, so that a missing figure never reads as zero round trips).
     */
    synchronized OptionalLong counterWrites() {
        try {
            MBeanServerConnection mbeans = connection();
            if (mbeans.queryNames(new ObjectName("com.hazelcast:type=HazelcastInstance,*"), null).isEmpty()) {
                return OptionalLong.empty();
            }
            Set<ObjectName> maps = mbeans.queryNames(
                    new ObjectName("com.hazelcast:type=IMap,name=" + COUNTER_MAP + ",*"), null);
            long writes = 0;
            for (ObjectName map : maps) {
                writes += ((Number) mbeans.getAttribute(map, "localPutOperationCount")).longValue();
            }
            return OptionalLong.of(writes);
        } catch (IOException | JMException | RuntimeException e) {
            close(); // reconnect on the next read
            return OptionalLong.empty();
        }
    }

    private MBeanServerConnection connection() throws IOException {
        if (connector == null) {
            connector = JMXConnectorFactory.connect(url);
        }
        return connector.getMBeanServerConnection();
    }

    @Override
    public synchronized void close() {
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException e) {
                // the node is going away; nothing to release on this side
            }
            connector = null;
        }
    }
}
