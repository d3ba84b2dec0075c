package io.gridgate.node.upstream;

import io.gridgate.node.config.PoolConfig;
import io.gridgate.node.proxy.UpstreamChannels;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.ServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSourceChannel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The call connections against a real Undertow upstream over loopback, driven on a real XNIO I/O
 * thread: CallConnections is confined to the thread it lends on, so every call to it here is made
 * there and its outcome handed back to the test thread through a future.
 */
class CallConnectionsTest {

    private static final Duration LONG_IDLE = Duration.ofSeconds(30);
    private static final OptionMap OPTIONS = OptionMap.create(Options.TCP_NODELAY, true);

    private static XnioWorker worker;
    private static ByteBufferPool buffers;

    /** The server side of every connection a request arrived on: their number is the TCP connections made. */
    private final Set<ServerConnection> seen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final List<Borrowed> borrowers = Collections.synchronizedList(new ArrayList<>());
    private final TestUpstream upstream = TestUpstream.start(exchange -> {
        seen.add(exchange.getConnection());
        exchange.getResponseSender().send("ok");
    });
    private CallConnections calls;

    @BeforeAll
    static void startWorker() throws IOException {
        worker = Xnio.getInstance().createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
        buffers = new DefaultByteBufferPool(false, 16 * 1024);
    }

    @AfterAll
    static void stopWorker() {
        worker.shutdownNow();
        buffers.close();
    }

    @AfterEach
    void stop() {
        if (calls != null) {
            calls.close();
        }
        upstream.close();
        // Telling a borrower twice would hand one connection to two calls, or fail a call that has one.
        synchronized (borrowers) {
            assertThat(borrowers).noneMatch(borrowed -> borrowed.toldTwice);
        }
    }

    @Test
    void aGivenBackConnectionServesTheNextBorrowOverTheSameTcpConnection() throws Exception {
        calls = connections(4, 4, LONG_IDLE);

        ClientConnection first = connected(borrow(false), false);
        use(first);
        giveBack(first);
        ClientConnection second = connected(borrow(false), true);
        use(second);

        assertThat(second).isSameAs(first);
        assertThat(seen).hasSize(1);
        assertThat(openConnections()).isEqualTo(1);
    }

    @Test
    void theMostRecentlyGivenBackIdleConnectionIsLentFirst() throws Exception {
        calls = connections(4, 4, LONG_IDLE);
        ClientConnection a = connected(borrow(false), false);
        ClientConnection b = connected(borrow(false), false);
        use(a);
        use(b);

        giveBack(a);
        giveBack(b);

        assertThat(connected(borrow(false), true)).isSameAs(b);
        assertThat(connected(borrow(false), true)).isSameAs(a);
        assertThat(openConnections()).isEqualTo(2);
    }

    @Test
    void aFullPoolQueuesUpToMaxQueueAndTheWaiterGetsTheGivenBackConnection() throws Exception {
        calls = connections(1, 1, LONG_IDLE);
        ClientConnection held = connected(borrow(false), false);
        use(held);

        Borrowed waiter = borrow(false);
        Borrowed beyondTheQueue = borrow(false);

        assertThat(waiter.outcome).isNotDone();
        assertThat(waiter.waiting).isNotSameAs(CallConnections.Waiting.NONE);
        // A full queue answers within the borrow call itself, not after any wait.
        assertThat(beyondTheQueue.outcome).isDone();
        assertThat(failure(beyondTheQueue)).startsWith("BUSY: ").contains("all 1 connections").contains("1 calls already wait")
                .contains(upstream.url());

        giveBack(held);
        ClientConnection handedOver = connected(waiter, true);
        assertThat(handedOver).isSameAs(held);
        use(handedOver);
        assertThat(seen).hasSize(1);
        assertThat(openConnections()).isEqualTo(1);
    }

    @Test
    void aCancelledWaiterIsSkippedAndItsQueuePlaceFreed() throws Exception {
        calls = connections(1, 2, LONG_IDLE);
        ClientConnection held = connected(borrow(false), false);
        use(held);
        Borrowed cancelled = borrow(false);
        Borrowed next = borrow(false);

        run(cancelled.waiting::cancel);
        // The queue holds 2: without the cancelled one's place given up this borrow would fail.
        Borrowed last = borrow(false);
        assertThat(last.outcome).isNotDone();

        giveBack(held);
        assertThat(connected(next, true)).isSameAs(held);
        assertThat(cancelled.outcome).isNotDone();
        assertThat(last.outcome).isNotDone();

        use(held);
        giveBack(held);
        assertThat(connected(last, true)).isSameAs(held);
        assertThat(cancelled.outcome).isNotDone();

        // With every waiter gone, the connection given back goes idle for the next borrow.
        Borrowed gone = borrow(false);
        run(gone.waiting::cancel);
        giveBack(held);
        assertThat(gone.outcome).isNotDone();
        assertThat(connected(borrow(false), true)).isSameAs(held);
        assertThat(openConnections()).isEqualTo(1);
    }

    @Test
    void anIdleConnectionTheUpstreamClosesIsDroppedAndCountedOut() throws Exception {
        calls = connections(1, 0, LONG_IDLE);
        ClientConnection first = connected(borrow(false), false);
        use(first);
        giveBack(first);
        assertThat(seen).hasSize(1);
        ServerConnection serverSide = List.copyOf(seen).get(0);

        serverSide.getIoThread().execute(() -> IoUtils.safeClose(serverSide));

        await().atMost(10, TimeUnit.SECONDS).until(() -> openConnections() == 0);
        assertThat(first.isOpen()).isFalse();
        // maxQueue 0: had the closed one still counted against maxConnections 1, this would fail.
        ClientConnection second = connected(borrow(false), false);
        assertThat(second).isNotSameAs(first);
        use(second);
        assertThat(seen).hasSize(2);
        assertThat(openConnections()).isEqualTo(1);
    }

    @Test
    void aConnectionClosedInUseLetsAWaiterOpenANewOneAndIsCountedOnce() throws Exception {
        calls = connections(1, 1, LONG_IDLE);
        ClientConnection held = connected(borrow(false), false);
        Borrowed waiter = borrow(false);
        assertThat(waiter.outcome).isNotDone();

        run(() -> IoUtils.safeClose(held));

        ClientConnection opened = connected(waiter, false);
        assertThat(opened).isNotSameAs(held);
        use(opened);
        // A call may still give back the connection that closed under it: it must not be counted out again.
        giveBack(held);
        assertThat(openConnections()).isEqualTo(1);
    }

    @Test
    void aDiscardedConnectionFreesItsPlaceAtOnceAndIsCountedOnce() throws Exception {
        calls = connections(1, 0, LONG_IDLE);
        ClientConnection held = connected(borrow(false), false);
        Borrowed retry = new Borrowed();
        borrowers.add(retry);

        // A call that gives up its connection and retries at once, in one turn of the I/O thread: with no
        // queue, the retry fails as "busy" unless the discarded connection's place is already free.
        run(() -> {
            calls.discard(held);
            calls.borrow(io(), buffers, true, retry);
        });

        ClientConnection opened = connected(retry, false);
        assertThat(held.isOpen()).isFalse();
        use(opened);
        assertThat(openConnections()).as("the discarded connection's close, heard later, counts nothing").isEqualTo(1);
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        calls = connections(2, 1, Duration.ofMillis(200));
        ClientConnection a = connected(borrow(false), false);
        ClientConnection b = connected(borrow(false), false);
        use(a);
        use(b);
        giveBack(a);
        giveBack(b);

        await().atMost(10, TimeUnit.SECONDS).until(() -> openConnections() == 0);

        assertThat(a.isOpen()).isFalse();
        assertThat(b.isOpen()).isFalse();
        ClientConnection next = connected(borrow(false), false);
        assertThat(next).isNotSameAs(a).isNotSameAs(b);
    }

    @Test
    void freshSkipsTheIdleConnectionAndOpensANewOne() throws Exception {
        calls = connections(2, 1, LONG_IDLE);
        ClientConnection idle = connected(borrow(false), false);
        use(idle);
        giveBack(idle);

        ClientConnection fresh = connected(borrow(true), false);

        assertThat(fresh).isNotSameAs(idle);
        use(fresh);
        assertThat(seen).hasSize(2);
        assertThat(openConnections()).isEqualTo(2);
        // Skipped, not dropped: the idle one still serves a borrow that does not ask for a new one.
        assertThat(connected(borrow(false), true)).isSameAs(idle);
    }

    @Test
    void closeClosesIdleConnectionsThenThoseGivenBackAndRefusesBorrows() throws Exception {
        calls = connections(2, 1, LONG_IDLE);
        ClientConnection idle = connected(borrow(false), false);
        ClientConnection inUse = connected(borrow(false), false);
        use(idle);
        giveBack(idle);

        calls.close();

        await().atMost(10, TimeUnit.SECONDS).until(() -> !idle.isOpen());
        assertThat(inUse.isOpen()).isTrue();
        giveBack(inUse);
        assertThat(inUse.isOpen()).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> openConnections() == 0);
        Borrowed afterClose = borrow(false);
        assertThat(afterClose.outcome).isDone();
        assertThat(failure(afterClose)).startsWith("GONE: ").contains("no longer in use").contains(upstream.url());
    }

    @Test
    void closeFailsAQueuedBorrower() throws Exception {
        calls = connections(1, 1, LONG_IDLE);
        ClientConnection held = connected(borrow(false), false);
        Borrowed waiter = borrow(false);
        assertThat(waiter.outcome).isNotDone();

        calls.close();

        assertThat(failure(waiter)).startsWith("GONE: ").contains("no longer in use");
        giveBack(held);
        assertThat(held.isOpen()).isFalse();
        await().atMost(10, TimeUnit.SECONDS).until(() -> openConnections() == 0);
    }

    @Test
    void connectFailuresFailEachWaiterInTurnWithTheReasonAndLeaveNothingOpen() throws Exception {
        ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        String uri = "http://127.0.0.1:" + server.getLocalPort();
        calls = new CallConnections(URI.create(uri), null, OPTIONS, new PoolConfig(1, 2, LONG_IDLE));
        ClientConnection held = connected(borrow(false), false);
        Borrowed first = borrow(false);
        Borrowed second = borrow(false);
        assertThat(first.outcome).isNotDone();
        assertThat(second.outcome).isNotDone();

        server.close(); // from here nothing listens on the port
        run(() -> IoUtils.safeClose(held));

        // The freed slot goes to the first waiter; its failed attempt frees it again for the second.
        assertThat(failure(first)).startsWith("CONNECT_FAILED: cannot connect to " + uri + " (");
        assertThat(failure(second)).startsWith("CONNECT_FAILED: cannot connect to " + uri + " (");
        assertThat(openConnections()).isZero();
        // Had a failed attempt kept its slot, this borrow would be queued instead of trying the port itself.
        assertThat(failure(borrow(false))).startsWith("CONNECT_FAILED: cannot connect to " + uri + " (");
        assertThat(openConnections()).isZero();
    }

    // ---- helpers ----

    private CallConnections connections(int maxConnections, int maxQueue, Duration idleTimeout) {
        return new CallConnections(URI.create(upstream.url()), null, OPTIONS,
                new PoolConfig(maxConnections, maxQueue, idleTimeout));
    }

    private static XnioIoThread io() {
        return worker.getIoThread();
    }

    /** Runs {@code task} on the I/O thread, the only thread CallConnections may be used on, and waits for it. */
    private static <T> T onIo(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        io().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(10, TimeUnit.SECONDS);
    }

    private Borrowed borrow(boolean fresh) throws Exception {
        Borrowed borrowed = new Borrowed();
        borrowers.add(borrowed);
        borrowed.waiting = onIo(() -> calls.borrow(io(), buffers, fresh, borrowed));
        return borrowed;
    }

    private static void run(Runnable task) throws Exception {
        onIo(() -> {
            task.run();
            return null;
        });
    }

    private void giveBack(ClientConnection connection) throws Exception {
        run(() -> calls.giveBack(connection));
    }

    private int openConnections() throws Exception {
        return onIo(calls::openConnections);
    }

    private static ClientConnection connected(Borrowed borrowed, boolean reused) throws Exception {
        Outcome outcome = borrowed.outcome.get(10, TimeUnit.SECONDS);
        assertThat(outcome.failure()).as("borrow failed").isNull();
        assertThat(outcome.reused()).as("reused").isEqualTo(reused);
        return outcome.connection();
    }

    private static String failure(Borrowed borrowed) throws Exception {
        Outcome outcome = borrowed.outcome.get(10, TimeUnit.SECONDS);
        assertThat(outcome.connection()).as("borrow succeeded").isNull();
        return outcome.failure();
    }

    /** One GET on the connection, its answer read to the end, as a composition call does before giving it back. */
    private void use(ClientConnection connection) throws Exception {
        CompletableFuture<String> body = new CompletableFuture<>();
        ClientRequest request = new ClientRequest().setMethod(Methods.GET).setPath("/x");
        request.getRequestHeaders().put(Headers.HOST, "127.0.0.1:" + upstream.port());
        run(() -> connection.sendRequest(request, then(body, sent -> {
            sent.setResponseListener(then(body, answered ->
                    read(answered.getResponseChannel(), new ByteArrayOutputStream(), body)));
            UpstreamChannels.shutdownAndFlush(sent.getRequestChannel()); // a failure closes it: the listener fails
        })));
        assertThat(body.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    }

    private static ClientCallback<ClientExchange> then(CompletableFuture<?> body, Consumer<ClientExchange> next) {
        return new ClientCallback<>() {
            @Override
            public void completed(ClientExchange exchange) {
                next.accept(exchange);
            }

            @Override
            public void failed(IOException e) {
                body.completeExceptionally(e);
            }
        };
    }

    private static void read(StreamSourceChannel channel, ByteArrayOutputStream into, CompletableFuture<String> body) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        try {
            int read;
            while ((read = channel.read(buffer.clear())) > 0) {
                into.write(buffer.array(), 0, read);
            }
            if (read < 0) {
                channel.getReadSetter().set(null);
                body.complete(into.toString(StandardCharsets.UTF_8));
            } else {
                channel.getReadSetter().set(c -> read(c, into, body));
                channel.resumeReads();
            }
        } catch (IOException e) {
            body.completeExceptionally(e);
        }
    }

    private record Outcome(ClientConnection connection, boolean reused, String failure) {
    }

    /** Records what a borrow delivered, and whether it was told more than once. */
    private static final class Borrowed implements CallConnections.Borrower {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        volatile CallConnections.Waiting waiting;
        volatile boolean toldTwice;

        @Override
        public void connected(ClientConnection connection, boolean reused) {
            tell(new Outcome(connection, reused, null));
        }

        @Override
        public void failed(CallConnections.Refusal refusal, String reason) {
            tell(new Outcome(null, false, refusal + ": " + reason));
        }

        private void tell(Outcome told) {
            if (!outcome.complete(told)) {
                toldTwice = true;
            }
        }
    }
}
