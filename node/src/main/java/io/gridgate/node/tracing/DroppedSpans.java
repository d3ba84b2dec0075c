package io.gridgate.node.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Reads the batch span processor's own count of spans it dropped because its queue was full, which
 * the SDK reports only as a metric: this reader is registered with the SDK's meter provider and
 * collected when asked. Both spellings the SDK uses are read: {@code processedSpans} with
 * {@code dropped=true}, and {@code otel.sdk.processor.span.processed} with an {@code error.type}.
 */
final class DroppedSpans implements MetricReader {

    private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private volatile CollectionRegistration registration = CollectionRegistration.noop();

    @Override
    public void register(CollectionRegistration registration) {
        this.registration = registration;
    }

    /** Spans dropped for a full queue since start. */
    long count() {
        long dropped = 0;
        for (MetricData metric : registration.collectAllMetrics()) {
            boolean legacy = metric.getName().equals("processedSpans");
            boolean semconv = metric.getName().equals("otel.sdk.processor.span.processed");
            if (!legacy && !semconv) {
                continue;
            }
            for (LongPointData point : metric.getLongSumData().getPoints()) {
                boolean wasDropped = legacy ? Boolean.TRUE.equals(point.getAttributes().get(DROPPED))
                        : point.getAttributes().get(ERROR_TYPE) != null;
                if (wasDropped) {
                    dropped += point.getValue();
                }
            }
        }
        return dropped;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
