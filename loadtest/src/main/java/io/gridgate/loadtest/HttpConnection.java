package io.gridgate.loadtest;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One keep-alive connection of a generator thread; owned and mutated by that thread only. */
final class HttpConnection {

    /** Where the connection is in its life; HTTP/1.1 without pipelining allows one request in flight. */
    enum State { DISCONNECTED, CONNECTING, IDLE, BUSY }

    final ResponseParser parser;
    /** The endpoint this connection is for, with its schedule and its counts. */
    final Lane lane;
    /** This connection's own view of the lane's pre-encoded request, so partial writes keep their position. */
    final ByteBuffer request;

    SocketChannel channel;
    SelectionKey key;
    State state = State.DISCONNECTED;
    /** When the current state began: the connect attempt, or the send of the request in flight. */
    long sinceNanos;
    /** When the request in flight was due; equals its send time in closed loop. */
    long intendedNanos;
    /** Earliest time to try connecting again after a failed attempt. */
    long reconnectAtNanos;
    boolean writeInterest;

    /** {@code expectedBody} is what every answer's body must be, or null if bodies are not checked. */
    HttpConnection(Lane lane, ExpectedBody expectedBody) {
        this.lane = lane;
        this.request = lane.request.asReadOnlyBuffer();
        this.parser = new ResponseParser(expectedBody);
    }
}
