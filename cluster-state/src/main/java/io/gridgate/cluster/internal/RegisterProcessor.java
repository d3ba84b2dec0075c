package io.gridgate.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import io.gridgate.cluster.RegisterOutcome;

import java.io.Serial;
import java.util.Map;

/**
 * Registers or renews an instance on its partition owner, atomically. A renewal with unchanged
 * settings writes nothing, so it fires no entry event on any node.
 */
final class RegisterProcessor implements EntryProcessor<String, InstanceRecord, RegisterOutcome> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final InstanceRecord record;

    RegisterProcessor(InstanceRecord record) {
        this.record = record;
    }

    @Override
    public RegisterOutcome process(Map.Entry<String, InstanceRecord> entry) {
        InstanceRecord existing = entry.getValue();
        if (existing == null) {
            entry.setValue(record);
            return RegisterOutcome.CREATED;
        }
        if (existing.sameSettings(record)) {
            return RegisterOutcome.RENEWED;
        }
        entry.setValue(record.withRegisteredAt(existing.registeredAtMillis));
        return RegisterOutcome.UPDATED;
    }
}
