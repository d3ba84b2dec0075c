package io.gridgate.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridgate.cluster.ConfigVersion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The copy of the shared configuration on this node's disk: {@code shared-config.json} in the data
 * directory, replaced whole (written beside it, forced to disk, then renamed over it), so a crash
 * leaves the previous version or the new one, never half of one. When every node stops at once,
 * the newest of these copies seeds the cluster again.
 */
public final class ConfigDisk {

    private static final Logger LOG = Logger.getLogger(ConfigDisk.class.getName());
    static final String FILE = "shared-config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Forces a directory's entries to disk. */
    interface DirectorySync {
        void force(Path directory) throws IOException;
    }

    private final Path file;
    private final DirectorySync directorySync;

    public ConfigDisk(Path dataDir) {
        this(dataDir, ConfigDisk::forceDirectory);
    }

    ConfigDisk(Path dataDir, DirectorySync directorySync) {
        this.file = dataDir.resolve(FILE);
        this.directorySync = directorySync;
    }

    public Path file() {
        return file;
    }

    /** The version stored here, or empty when there is none or it cannot be read (which is logged). */
    public Optional<ConfigVersion> read() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode stored = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            String document = SharedDocument.text(stored.path("document"));
            ConfigVersion version = ConfigVersion.of(stored.path("version").asLong(), document,
                    stored.path("changedAtMillis").asLong(), stored.path("source").asText("disk"))
                    .inEpoch(stored.path("epoch").asLong(0)); // files written before epochs were kept had none
            if (!version.digest().equals(stored.path("digest").asText())) {
                LOG.warning(() -> file + ": the document does not match its digest; not using it");
                return Optional.empty();
            }
            return Optional.of(version);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, file + ": unreadable; not using it", e);
            return Optional.empty();
        }
    }

    /** Replaces the stored version with {@code version}. */
    public void write(ConfigVersion version) throws IOException {
        ObjectNode stored = JSON.createObjectNode();
        stored.put("version", version.version());
        stored.put("digest", version.digest());
        stored.put("changedAtMillis", version.changedAtMillis());
        stored.put("source", version.source());
        stored.put("epoch", version.epoch());
        stored.set("document", SharedDocument.tree(version.document()));
        byte[] bytes = SharedDocument.text(stored).getBytes(StandardCharsets.UTF_8);
        Path temporary = file.resolveSibling(FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        // The rename lives in the directory's entries: until they reach the disk, a power cut can bring
        // back the previous version, or no file at all, although the write returned.
        directorySync.force(file.toAbsolutePath().getParent());
    }

    /**
     * Forces the directory like a file; some file systems (and Windows) refuse to open a directory for
     * that, and there the rename's durability is the file system's own promise.
     */
    static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(Level.FINE, directory + ": cannot force the directory to disk; relying on the file system", e);
        }
    }
}
