package io.gridgate.node.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that answers the first request on each connection with a keep-alive response, then
 * resets the connection when a second request arrives on it: the stale pooled connection fault.
 */
public final class OneShotUpstream implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();

    public OneShotUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "one-shot-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread serve = new Thread(() -> serve(socket), "one-shot-connection");
                serve.setDaemon(true);
                serve.start();
            } catch (IOException closedByTheTest) {
                return;
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            if (!readHead(in)) {
                return;
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            readHead(in);
            socket.setSoLinger(true, 0); // close with RST, as a crashed or recycled upstream does
        } catch (IOException ignored) {
            // the gateway closed first
        }
    }

    /** Reads up to the blank line that ends a request head (the tests send no bodies). */
    private static boolean readHead(InputStream in) throws IOException {
        int matched = 0;
        for (int c = in.read(); c >= 0; c = in.read()) {
            matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                return true;
            }
        }
        return false;
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
