package io.gridgate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Finds loopback ports that are free right now, for child processes that must be told their port up front. */
final class FreePorts {

    /** Ports handed out by this process: the kernel may offer a just-closed port again at once. */
    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /**
     * A port the kernel just handed out and took back. Another process could grab it before the child binds it; the
     * child then fails to start and says so, which is rare enough on a benchmark machine to accept. A port this
     * process already handed out is never handed out again.
     */
    static int next() {
        for (int tries = 0; tries < 100; tries++) {
            int port = bindAndRelease();
            if (GIVEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("the kernel kept offering ports already handed out");
    }

    private static int bindAndRelease() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
