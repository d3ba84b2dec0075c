package io.gridgate.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The cluster's shared configuration: a numbered sequence of documents, changed only by a
 * compare-and-set on the version, with the last {@link #HISTORY} versions kept. Every member is told
 * of each new version; each member says which version it runs.
 */
public interface ConfigStore {

    /** How many versions the grid keeps, the current one included. */
    int HISTORY = 20;

    /** The version in force, or empty before any member stored one. */
    CompletionStage<Optional<ConfigVersion>> current();

    /**
     * Offers a version kept elsewhere (the seed file, a node's disk): the grid takes it when it holds
     * nothing yet, or while it holds only versions members brought and the candidate is
     * {@link ConfigVersion#newerThan newer} (renumbered above the current one if its number is not).
     * So the newest version any member knows wins while the cluster forms, and once a change was made
     * in the cluster no copy a member brings replaces it.
     *
     * @return the version in force afterwards, the offered one or the one that beat it
     */
    CompletionStage<ConfigVersion> offer(ConfigVersion candidate);

    /**
     * Stores {@code document} as version {@code basedOn + 1}, if {@code basedOn} is still the
     * version in force.
     */
    CompletionStage<Change> change(long basedOn, String document, String source);

    /** The outcome of a {@link #change}. */
    sealed interface Change {
        /** The version in force after the call. */
        ConfigVersion current();
    }

    /** Stored as the next version; {@code created} is false when the document equals the current one (nothing stored). */
    record Applied(ConfigVersion current, boolean created) implements Change {
    }

    /** Not stored: the change was based on an older version than {@code current}. */
    record Conflict(ConfigVersion current) implements Change {
    }

    /** A kept version, or empty when it never existed or fell out of the history. */
    CompletionStage<Optional<ConfigVersion>> version(long version);

    /** The kept versions, oldest first, without their documents. */
    CompletionStage<List<ConfigVersion>> history();

    /**
     * Calls {@code listener} with each new version in force, on a thread of the grid's; the
     * versions a member misses while it is away are not replayed (read {@link #current} on return).
     *
     * @return stops the calls
     */
    AutoCloseable subscribe(Consumer<ConfigVersion> listener);

    /** Records that this member now runs {@code version} (with that digest). */
    CompletionStage<Void> reportApplied(ConfigVersion version);

    /** The version each current member said it runs, by member id; members that never said are absent. */
    CompletionStage<Map<String, ConfigVersion>> applied();
}
