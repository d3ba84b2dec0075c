package io.gridgate.node.config;

/**
 * The shared sections of a node's file, offered to the cluster as its first version when neither
 * the grid nor any disk holds one.
 *
 * @param source what the version's history calls it, such as {@code file gridgate.yaml}
 * @param document the stored form ({@link SharedDocument#canonical})
 */
public record ConfigSeed(String source, String document) {

    /** The seed of a text that passed validation, named by {@code sourceName}. */
    public static ConfigSeed of(String sourceName, String validText) {
        return new ConfigSeed("file " + sourceName, SharedDocument.canonical(validText));
    }
}
