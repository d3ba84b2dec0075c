package io.gridgate.node.tracing;

import io.opentelemetry.context.Context;
import io.undertow.util.AttachmentKey;

/**
 * The server span's context, travelling with the exchange, from which upstream tries start their
 * client spans; absent when tracing is off. {@code recording} is false when the sampler left the
 * request out: nothing of it is exported.
 */
public record ServerSpan(Tracing tracing, Context context, boolean recording) {

    public static final AttachmentKey<ServerSpan> KEY = AttachmentKey.create(ServerSpan.class);
}
