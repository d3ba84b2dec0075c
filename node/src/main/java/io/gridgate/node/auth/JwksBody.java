package io.gridgate.node.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of a JWKS response, taken only from a {@code 200} with a JSON media type and only up to
 * a size bound: anything else fails the fetch before or while the body is read.
 */
final class JwksBody implements HttpResponse.BodySubscriber<byte[]> {

    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final String refusal;
    private final int limit;
    private Flow.Subscription subscription;

    private JwksBody(String refusal, int limit) {
        this.refusal = refusal;
        this.limit = limit;
    }

    /** Reads bodies of at most {@code limit} bytes from responses fit to hold a key set. */
    static HttpResponse.BodyHandler<byte[]> handler(int limit) {
        return info -> new JwksBody(refusal(info, limit), limit);
    }

    /** Why a response cannot hold a key set, or null if it may. */
    private static String refusal(HttpResponse.ResponseInfo info, int limit) {
        if (info.statusCode() != 200) {
            return "status " + info.statusCode() + " (expected: 200)";
        }
        String type = info.headers().firstValue("Content-Type").orElse("(none)");
        if (!isJson(type)) {
            return "content type " + type + " (expected: application/json or application/jwk-set+json)";
        }
        long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length > limit) {
            return "content length " + length + " (expected: <= " + limit + ")";
        }
        return null;
    }

    static boolean isJson(String contentType) {
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json");
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        if (refusal != null) {
            subscription.cancel();
            body.completeExceptionally(new IOException(refusal));
            return;
        }
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            if (buffer.size() + item.remaining() > limit) {
                subscription.cancel();
                body.completeExceptionally(new IOException("body: over " + limit + " bytes"));
                return;
            }
            byte[] bytes = new byte[item.remaining()];
            item.get(bytes);
            buffer.writeBytes(bytes);
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(buffer.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
