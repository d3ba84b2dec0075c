package io.gridgate.node.guard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Raw bytes to the gateway and what came back: every response on the connection, then whether the
 * gateway closed it. Unlike {@code RawHttp}, it tolerates no response at all and resets.
 */
final class Wire {

    /** How the connection ended after the last response. */
    enum End { CLOSED, RESET, OPEN }

    /** One response: its status, its header lines as received, its body. */
    record Response(int status, String head, String body) {

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    /** The responses received, in order, and how the connection ended. */
    record Outcome(List<Response> responses, End end) {

        /** The first status, or 0 when the gateway answered nothing. */
        int status() {
            return responses.isEmpty() ? 0 : responses.get(0).status();
        }

        String describe() {
            String statuses = responses.isEmpty() ? "no response"
                    : String.join(",", responses.stream().map(r -> String.valueOf(r.status())).toList());
            return statuses + ", " + end.name().toLowerCase(Locale.ROOT);
        }
    }

    private Wire() {
    }

    /**
     * Sends the bytes at once and collects responses until the gateway closes the connection or
     * stays silent for {@code quiet}.
     */
    static Outcome send(int port, byte[] request, Duration quiet) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) quiet.toMillis());
            socket.setTcpNoDelay(true);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (SocketException closedWhileWriting) {
                // the gateway may refuse before the client finishes writing; read what it said
            }
            return collect(socket.getInputStream());
        }
    }

    /** One connection kept open across several sends, for pipelining and keep-alive checks. */
    static final class Conversation implements AutoCloseable {
        private final Socket socket;

        Conversation(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
        }

        Conversation send(byte[] bytes) throws IOException {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        }

        Conversation send(String text) throws IOException {
            return send(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** The next response; fails if the gateway closes instead. */
        Response next() throws IOException {
            Response response = read(socket.getInputStream());
            if (response == null) {
                throw new IOException("the gateway closed the connection instead of answering");
            }
            return response;
        }

        /** What else comes: responses until the gateway closes the connection or is quiet for {@code quiet}. */
        Outcome rest(Duration quiet) throws IOException {
            socket.setSoTimeout((int) quiet.toMillis());
            return collect(socket.getInputStream());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Reads responses until the end of the stream, a reset, or {@code quiet} without a byte. */
    static Outcome collect(InputStream in) throws IOException {
        List<Response> responses = new ArrayList<>();
        while (true) {
            try {
                Response response = read(in);
                if (response == null) {
                    return new Outcome(responses, End.CLOSED);
                }
                responses.add(response);
            } catch (SocketTimeoutException quiet) {
                return new Outcome(responses, End.OPEN);
            } catch (SocketException reset) {
                return new Outcome(responses, End.RESET);
            }
        }
    }

    /** One response, or null if the stream ends before its first byte. */
    static Response read(InputStream in) throws IOException {
        String statusLine = line(in, true);
        if (statusLine == null) {
            return null;
        }
        StringBuilder head = new StringBuilder();
        long length = -1;
        boolean chunked = false;
        for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
            head.append(line).append("\r\n");
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line(in, false).trim(), 16); size > 0;
                 size = Integer.parseInt(line(in, false).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in, false);
            }
            line(in, false);
        } else if (length > 0) {
            body.write(in.readNBytes((int) length));
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        return new Response(status, head.toString(), body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in, boolean endAllowed) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                if (endAllowed && line.isEmpty()) {
                    return null;
                }
                throw new IOException("connection closed mid-line: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
