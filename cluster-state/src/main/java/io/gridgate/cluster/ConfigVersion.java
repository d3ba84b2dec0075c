package io.gridgate.cluster;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One version of the cluster's shared configuration: the document (JSON text of the shared
 * sections), numbered from 1, with where it came from.
 *
 * @param version 1 for the first document the cluster stored; each change adds one
 * @param document the document's JSON text
 * @param digest SHA-256 of the document, so two copies of one version can be compared cheaply
 * @param changedAtMillis when the version was made, by the clock of the member that made it
 * @param source what made it, such as {@code file gridgate.yaml} or {@code admin API}
 * @param epoch when the line of history this version belongs to began (milliseconds, by the clock of
 *     the member that began it): a cluster begins one with its first change after it formed; 0 for
 *     a version that only a node's file made. Version numbers compare only within one line.
 */
public record ConfigVersion(long version, String document, String digest, long changedAtMillis, String source,
                            long epoch) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    public ConfigVersion {
        if (version < 1) {
            throw new IllegalArgumentException("version: " + version + " (expected: >= 1)");
        }
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(source, "source");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch: " + epoch + " (expected: >= 0)");
        }
    }

    /** A version of a document outside any line of history (epoch 0), its digest computed. */
    public static ConfigVersion of(long version, String document, long changedAtMillis, String source) {
        return new ConfigVersion(version, document, digestOf(document), changedAtMillis, source, 0);
    }

    /** The same version in the line of history begun at {@code epoch}. */
    public ConfigVersion inEpoch(long epoch) {
        return new ConfigVersion(version, document, digest, changedAtMillis, source, epoch);
    }

    /** The same document and line under another number. */
    public ConfigVersion renumbered(long version) {
        return new ConfigVersion(version, document, digest, changedAtMillis, source, epoch);
    }

    /**
     * True when this version is of a later line of history than {@code other}, or of the same line
     * and numbered higher.
     */
    public boolean newerThan(ConfigVersion other) {
        return epoch != other.epoch ? epoch > other.epoch : version > other.version;
    }

    /** Lowercase hex SHA-256 of the document's UTF-8 bytes. */
    public static String digestOf(String document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The same version without its document, for lists. */
    public ConfigVersion summary() {
        return new ConfigVersion(version, "", digest, changedAtMillis, source, epoch);
    }

    /** Never prints the document, which may be long. */
    @Override
    public String toString() {
        return "ConfigVersion[" + version + ", " + digest.substring(0, Math.min(12, digest.length())) + ", " + source
                + ", epoch " + epoch + "]";
    }
}
