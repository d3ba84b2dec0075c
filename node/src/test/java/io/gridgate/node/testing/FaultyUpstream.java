package io.gridgate.node.testing;

import io.undertow.util.StatusCodes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream whose behaviour the test sets and changes while it runs: answer a status, reset the
 * connection (RST, by closing with {@code SO_LINGER 0}) once the request head has arrived, or hang
 * without ever answering. One-off behaviours queued with {@link #next} apply to the next requests
 * in arrival order, before the standing {@link #mode}. Counts connections and requests, and keeps
 * every request it read.
 */
public final class FaultyUpstream implements AutoCloseable {

    /** What the upstream does with one request. */
    public sealed interface Mode {

        /** Answers with this status, body and headers ({@code name, value, name, value, ...}); keeps the connection. */
        static Mode answer(int status, String body, String... headers) {
            if (headers.length % 2 != 0) {
                throw new IllegalArgumentException("headers: " + headers.length + " strings (expected: name, value pairs)");
            }
            return new Answer(status, body, List.of(headers));
        }

        /** Reads the request head, then resets the connection. */
        static Mode reset() {
            return new Reset();
        }

        /** Reads the request and never answers, until the gateway or {@link #close()} closes the connection. */
        static Mode hang() {
            return new Hang();
        }
    }

    record Answer(int status, String body, List<String> headers) implements Mode {
    }

    record Reset() implements Mode {
    }

    record Hang() implements Mode {
    }

    /** A request as it arrived: the body is {@code null} when the upstream reset before reading it. */
    public record Received(String method, String target, List<String[]> headers, String body) {

        /** The first value of a header, case-insensitively, or {@code null}. */
        public String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Queue<Mode> next = new ConcurrentLinkedQueue<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile Mode mode;

    private FaultyUpstream(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        daemon(this::accept, "faulty-upstream");
    }

    /** An upstream that starts out behaving as {@code mode}. */
    public static FaultyUpstream start(Mode mode) {
        try {
            return new FaultyUpstream(mode);
        } catch (IOException e) {
            throw new IllegalStateException("could not open a loopback port", e);
        }
    }

    /** An upstream that answers 200 with this body until told otherwise. */
    public static FaultyUpstream answering(String body) {
        return start(Mode.answer(200, body));
    }

    /** Changes the standing behaviour, for the requests that arrive from now on. */
    public FaultyUpstream mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    /** Queues one behaviour per request for the next requests, ahead of the standing one. */
    public FaultyUpstream next(Mode... modes) {
        next.addAll(List.of(modes));
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    /** Request heads received so far, whatever became of them. */
    public int requests() {
        return requests.get();
    }

    /** Every request received so far, in arrival order. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** A registration body for this upstream, as a service instance heartbeat sends it. */
    public String instanceJson() {
        return "{\"host\":\"127.0.0.1\",\"port\":" + port() + ",\"ttlSeconds\":30}";
    }

    private void accept() {
        try {
            while (!server.isClosed()) {
                Socket socket = server.accept();
                connections.incrementAndGet();
                sockets.add(socket);
                daemon(() -> serve(socket), "faulty-upstream-connection");
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
                List<String> head = readHead(in);
                if (head == null) {
                    return;
                }
                requests.incrementAndGet();
                Mode now = next.poll();
                if (now == null) {
                    now = mode;
                }
                String[] requestLine = head.get(0).split(" ");
                List<String[]> headers = headers(head);
                if (now instanceof Reset) {
                    received.add(new Received(requestLine[0], requestLine[1], headers, null));
                    socket.setSoLinger(true, 0); // close with RST, as a crashed upstream does
                    return;
                }
                String body = readBody(in, headers);
                received.add(new Received(requestLine[0], requestLine[1], headers, body));
                if (now instanceof Hang) {
                    in.transferTo(OutputStream.nullOutputStream()); // until the peer closes
                    return;
                }
                out.write(response((Answer) now));
                out.flush();
            }
        } catch (IOException closed) {
            // the gateway or the test closed the connection
        } finally {
            sockets.remove(socket);
        }
    }

    private static byte[] response(Answer answer) {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
                .append("HTTP/1.1 ").append(answer.status()).append(' ').append(StatusCodes.getReason(answer.status()))
                .append("\r\nContent-Length: ").append(body.length)
                .append("\r\nContent-Type: text/plain\r\n");
        for (int i = 0; i < answer.headers().size(); i += 2) {
            head.append(answer.headers().get(i)).append(": ").append(answer.headers().get(i + 1)).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    /** The lines of a request head, or {@code null} when the connection closed before one began. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = line(in); line != null; line = line(in)) {
            if (line.isEmpty()) {
                if (lines.isEmpty()) {
                    continue; // a stray CRLF between requests
                }
                return lines;
            }
            lines.add(line);
        }
        return null;
    }

    private static List<String[]> headers(List<String> head) {
        List<String[]> headers = new ArrayList<>();
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        return headers;
    }

    private static String readBody(InputStream in, List<String[]> headers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = null;
        boolean chunked = false;
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase("Content-Length")) {
                length = header[1];
            } else if (header[0].equalsIgnoreCase("Transfer-Encoding")
                    && header[1].toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
                body.write(readExactly(in, size));
                line(in);
            }
            for (String trailer = line(in); trailer != null && !trailer.isEmpty(); trailer = line(in)) {
                // trailers are read and dropped
            }
        } else if (length != null) {
            body.write(readExactly(in, Integer.parseInt(length)));
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static int chunkSize(InputStream in) throws IOException {
        String line = line(in);
        if (line == null) {
            throw new IOException("connection closed inside a chunked body");
        }
        int extension = line.indexOf(';');
        return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    /** One line without its CRLF, or {@code null} at the end of the stream before any byte of it. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not close the upstream", e);
        }
    }
}
