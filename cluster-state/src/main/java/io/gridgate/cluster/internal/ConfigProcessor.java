package io.gridgate.cluster.internal;

import com.hazelcast.map.EntryProcessor;
import io.gridgate.cluster.ConfigStore;
import io.gridgate.cluster.ConfigVersion;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Changes the configuration history on its partition owner, so that two changes based on the same
 * version cannot both win: the second finds the version moved on and reports a conflict. The backup
 * receives the resulting history rather than deciding again.
 */
final class ConfigProcessor implements EntryProcessor<String, ConfigProcessor.History, ConfigProcessor.Result> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The kept versions, oldest first; never empty once stored. */
    record History(List<ConfigVersion> versions) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        History {
            versions = List.copyOf(versions);
        }

        ConfigVersion current() {
            return versions.get(versions.size() - 1);
        }

        History with(ConfigVersion next) {
            List<ConfigVersion> kept = new ArrayList<>(versions);
            kept.add(next);
            int excess = kept.size() - ConfigStore.HISTORY;
            return new History(excess > 0 ? kept.subList(excess, kept.size()) : kept);
        }
    }

    /** What the call came to; {@code current} is null only when the history is empty. */
    record Result(ConfigVersion current, boolean created, boolean conflict) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;
    }

    private final ConfigVersion offered;
    private final long basedOn;
    private final String document;
    private final long changedAtMillis;
    private final String source;
    private transient History written;

    private ConfigProcessor(ConfigVersion offered, long basedOn, String document, long changedAtMillis, String source) {
        this.offered = offered;
        this.basedOn = basedOn;
        this.document = document;
        this.changedAtMillis = changedAtMillis;
        this.source = source;
    }

    static ConfigProcessor offer(ConfigVersion candidate) {
        return new ConfigProcessor(candidate, 0, null, 0, null);
    }

    static ConfigProcessor change(long basedOn, String document, long changedAtMillis, String source) {
        return new ConfigProcessor(null, basedOn, document, changedAtMillis, source);
    }

    @Override
    public Result process(Map.Entry<String, History> entry) {
        History before = entry.getValue();
        written = null;
        if (offered != null) {
            if (before == null || before.current().version() < offered.version()) {
                written = before == null ? new History(List.of(offered)) : before.with(offered);
                entry.setValue(written);
                return new Result(offered, true, false);
            }
            return new Result(before.current(), false, false);
        }
        long current = before == null ? 0 : before.current().version();
        if (current != basedOn) {
            return new Result(before == null ? null : before.current(), false, true);
        }
        String digest = ConfigVersion.digestOf(document);
        if (before != null && before.current().digest().equals(digest)) {
            return new Result(before.current(), false, false);
        }
        ConfigVersion next = new ConfigVersion(current + 1, document, digest, changedAtMillis, source);
        written = before == null ? new History(List.of(next)) : before.with(next);
        entry.setValue(written);
        return new Result(next, true, false);
    }

    @Override
    public EntryProcessor<String, History, Result> getBackupProcessor() {
        return written == null ? null : new CopyHistory(written);
    }

    /** Puts the owner's result on the backup. */
    private record CopyHistory(History history) implements EntryProcessor<String, History, Result> {

        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Result process(Map.Entry<String, History> entry) {
            entry.setValue(history);
            return null;
        }
    }
}
