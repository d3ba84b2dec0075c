package io.gridgate.node.proxy;

import io.gridgate.node.testing.TestGateway;
import io.gridgate.node.testing.TestUpstream;
import io.undertow.Handlers;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolsTest {

    private TestUpstream upstream;
    private TestGateway gateway;

    @AfterEach
    void stop() {
        gateway.close();
        upstream.close();
    }

    @Test
    void proxiesAWebSocketConversationEndToEnd() throws Exception {
        upstream = TestUpstream.start(Handlers.websocket((exchange, channel) -> {
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    WebSockets.sendText("echo: " + message.getData(), ch, null);
                }
            });
            channel.resumeReceives();
        }));
        gateway = TestGateway.withRoutes("""
                - id: ws
                  match: {path: /chat}
                  upstream: %s
                """.formatted(upstream.url()));
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/chat"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        received.add(data.toString());
                        webSocket.request(1);
                        return CompletableFuture.completedFuture(null);
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("one", true).get(10, TimeUnit.SECONDS);
        socket.sendText("two", true).get(10, TimeUnit.SECONDS);

        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: one");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("echo: two");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void servesHttp2ClientsOverCleartextUpgrade() throws Exception {
        upstream = TestUpstream.start(exchange -> exchange.getResponseSender().send(exchange.getProtocol().toString()));
        gateway = TestGateway.withRoutes("""
                - id: h2
                  upstream: %s
                """.formatted(upstream.url()));
        HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();

        HttpResponse<String> first = http2.send(HttpRequest.newBuilder(gateway.uri("/a")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = http2.send(HttpRequest.newBuilder(gateway.uri("/b")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(second.body()).isEqualTo("HTTP/1.1");
    }
}
