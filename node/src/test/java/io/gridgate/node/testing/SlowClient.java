package io.gridgate.node.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client whose request body arrives in two pieces with a pause between them, as from a slow
 * uploader: the gateway finds only the first piece in its buffers and has to wait for the rest.
 * The pause shapes the input; it does not wait for anything.
 */
public final class SlowClient {

    private SlowClient() {
    }

    /**
     * Sends {@code head} (the request line and headers, CRLFs and the blank line included) with the
     * first {@code firstPiece} bytes of {@code body}, pauses, sends the rest and reads one response.
     */
    public static RawHttp.Response send(int port, String head, byte[] body, int firstPiece, Duration pause)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body, 0, firstPiece);
            out.flush();
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted between the pieces of the body", e);
            }
            out.write(body, firstPiece, body.length - firstPiece);
            out.flush();
            return RawHttp.read(socket.getInputStream());
        }
    }
}
