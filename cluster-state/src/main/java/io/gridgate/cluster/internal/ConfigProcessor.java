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

    /**
     * The kept versions, oldest first; never empty once stored.
     *
     * @param changedHere whether the current version was made by a change in this cluster rather than
     *     brought by a member (from its file or disk) while the cluster formed
     */
    record History(List<ConfigVersion> versions, boolean changedHere) implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        History {
            versions = List.copyOf(versions);
        }

        ConfigVersion current() {
            return versions.get(versions.size() - 1);
        }

        History with(ConfigVersion next, boolean change) {
            List<ConfigVersion> kept = new ArrayList<>(versions);
            kept.add(next);
            int excess = kept.size() - ConfigStore.HISTORY;
            return new History(excess > 0 ? kept.subList(excess, kept.size()) : kept, change);
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
            return offer(entry, before);
        }
        long current = before == null ? 0 : before.current().version();
        if (current != basedOn) {
            return new Result(before == null ? null : before.current(), false, true);
        }
        String digest = ConfigVersion.digestOf(document);
        if (before != null && before.current().digest().equals(digest)) {
            return new Result(before.current(), false, false);
        }
        // The first change after the cluster formed begins a line of history of its own: a copy on the
        // disk of a member that was away when the cluster formed again belongs to the line before, and
        // must not replace what was changed since.
        long epoch = before == null ? changedAtMillis
                : before.changedHere() ? before.current().epoch() : Math.max(changedAtMillis, before.current().epoch() + 1);
        ConfigVersion next = new ConfigVersion(current + 1, document, digest, changedAtMillis, source, epoch);
        written = before == null ? new History(List.of(next), true) : before.with(next, true);
        entry.setValue(written);
        return new Result(next, true, false);
    }

    /*
     * While the cluster forms, the members bring what they know and the newest line, then the highest
     * number in it, wins: that is how a stop of every node loses nothing, whichever node comes back
     * first. Once the cluster made a change of its own, nothing a member brings replaces it.
     */
    private Result offer(Map.Entry<String, History> entry, History before) {
        if (before == null) {
            written = new History(List.of(offered), false);
        } else if (!before.changedHere() && offered.newerThan(before.current())) {
            long number = Math.max(offered.version(), before.current().version() + 1); // numbers only go up
            written = before.with(offered.renumbered(number), false);
        } else {
            return new Result(before.current(), false, false);
        }
        entry.setValue(written);
        return new Result(written.current(), true, false);
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
