package io.gridgate.node.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** An upstream that accepts connections, reads what arrives and never answers: the timeout fault. */
public final class SilentUpstream implements AutoCloseable {

    private final ServerSocket server;
    private final Semaphore requests = new Semaphore(0);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public SilentUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "silent-upstream");
    }

    private void accept() {
        try {
            while (!server.isClosed()) {
                Socket socket = server.accept();
                sockets.add(socket);
                daemon(() -> readFirstByte(socket), "silent-upstream-reader");
            }
        } catch (IOException closedByTheTest) {
            // accept() ends when close() closes the server socket
        }
    }

    private void readFirstByte(Socket socket) {
        try {
            if (socket.getInputStream().read() >= 0) {
                requests.release();
            }
        } catch (IOException closedByTheTest) {
            // read() ends when close() closes the socket
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Waits until this many requests have begun to arrive. */
    public void awaitRequests(int count) throws InterruptedException {
        if (!requests.tryAcquire(count, 10, TimeUnit.SECONDS)) {
            throw new AssertionError("the upstream did not receive " + count + " request(s)");
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
