package io.gridgate.node.tracing;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the spans of every batch its exporter fails to deliver: an unreachable collector costs spans, and says so. */
final class CountingExporter implements SpanExporter {

    private final SpanExporter exporter;
    private final AtomicLong notExported;

    CountingExporter(SpanExporter exporter, AtomicLong notExported) {
        this.exporter = exporter;
        this.notExported = notExported;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = exporter.export(spans);
        int count = spans.size();
        result.whenComplete(() -> {
            if (!result.isSuccess()) {
                notExported.addAndGet(count);
            }
        });
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        return exporter.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return exporter.shutdown();
    }
}
