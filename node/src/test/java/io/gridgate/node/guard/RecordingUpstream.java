package io.gridgate.node.guard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw-socket upstream that records every request exactly as the gateway sent it (head and body
 * bytes) and answers each with a small keep-alive 200, so tests can assert what reached it, byte for
 * byte, and that nothing reached it.
 */
final class RecordingUpstream implements AutoCloseable {

    /** One request as received: its head (through the blank line) and its body as framed on the wire. */
    record Received(String head, byte[] wireBody, byte[] body) {

        String text() {
            return head + new String(wireBody, StandardCharsets.ISO_8859_1);
        }

        String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    private final ServerSocket server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    RecordingUpstream() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        daemon(this::accept, "recording-upstream");
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void accept() {
        try {
            while (!server.isClosed()) {
                Socket socket = server.accept();
                sockets.add(socket);
                daemon(() -> serve(socket), "recording-upstream-connection");
            }
        } catch (IOException closedByTheTest) {
            // accept() ends when close() closes the server socket
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                String head = head(in);
                if (head == null) {
                    return;
                }
                ByteArrayOutputStream wire = new ByteArrayOutputStream();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                String lower = head.toLowerCase(Locale.ROOT);
                if (lower.contains("\ntransfer-encoding:") && lower.contains("chunked")) {
                    chunked(in, wire, body);
                } else {
                    int length = contentLength(lower);
                    byte[] bytes = in.readNBytes(length);
                    wire.write(bytes);
                    body.write(bytes);
                }
                received.add(new Received(head, wire.toByteArray(), body.toByteArray()));
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException | RuntimeException closed) {
            // the gateway closed the connection, or sent what this simple reader cannot frame
        }
    }

    /** The head up to and including the blank line, or null at the end of the stream. */
    private static String head(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.append((char) c);
        }
        return head.toString();
    }

    private static int contentLength(String lowerHead) {
        int at = lowerHead.indexOf("\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int end = lowerHead.indexOf('\r', at);
        return Integer.parseInt(lowerHead.substring(at + "\ncontent-length:".length(), end).trim());
    }

    private static void chunked(InputStream in, ByteArrayOutputStream wire, ByteArrayOutputStream body)
            throws IOException {
        while (true) {
            String line = line(in, wire);
            int size = Integer.parseInt(line.split(";")[0].trim(), 16);
            if (size == 0) {
                while (!line(in, wire).isEmpty()) {
                    // trailer fields
                }
                return;
            }
            byte[] data = in.readNBytes(size);
            wire.write(data);
            body.write(data);
            line(in, wire);
        }
    }

    private static String line(InputStream in, ByteArrayOutputStream wire) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("closed mid-line");
            }
            wire.write(c);
            line.append((char) c);
        }
        wire.write('\n');
        return line.toString().strip();
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
