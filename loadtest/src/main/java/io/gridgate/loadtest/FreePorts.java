package io.gridgate.loadtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds loopback ports that are free right now, for child processes that must be told their port up front. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * A port the kernel just handed out and took back. Another process could grab it before the child binds it; the
     * child then fails to start and says so, which is rare enough on a benchmark machine to accept.
     */
    static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
