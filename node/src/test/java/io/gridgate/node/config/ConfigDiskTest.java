package io.gridgate.node.config;

import io.gridgate.cluster.ConfigVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The disk copy is used only when it is whole and matches its digest, and a write replaces it whole. */
class ConfigDiskTest {

    @TempDir
    Path dir;

    private static ConfigVersion version(long number) {
        String document = SharedDocument.canonical("{\"routes\":[{\"id\":\"r" + number + "\"}]}");
        return ConfigVersion.of(number, document, 1_000L * number, "admin API");
    }

    @Test
    void aWrittenVersionReadsBackWhole() throws IOException {
        ConfigDisk disk = new ConfigDisk(dir);
        disk.write(version(3).inEpoch(1_764_000_000_000L));

        assertThat(disk.read()).hasValueSatisfying(read -> {
            assertThat(read.version()).isEqualTo(3);
            assertThat(read.epoch()).isEqualTo(1_764_000_000_000L);
            assertThat(read.digest()).isEqualTo(version(3).digest());
            assertThat(read.changedAtMillis()).isEqualTo(3_000);
            assertThat(read.source()).isEqualTo("admin API");
        });
    }

    @Test
    void aFileWithoutAnEpochIsOfTheFirstLine() throws IOException {
        ConfigDisk disk = new ConfigDisk(dir);
        disk.write(version(3).inEpoch(5));
        Path file = dir.resolve(ConfigDisk.FILE);
        Files.writeString(file, Files.readString(file).replaceAll("\"epoch\" : 5,?", ""));

        assertThat(disk.read()).hasValueSatisfying(read -> assertThat(read.epoch()).isZero());
    }

    @Test
    void noFileIsNoVersion() {
        assertThat(new ConfigDisk(dir).read()).isEmpty();
    }

    @Test
    void aCorruptFileIsNotUsed() throws IOException {
        Files.writeString(dir.resolve(ConfigDisk.FILE), "{\"version\": 4, \"digest\": \"ab");

        assertThat(new ConfigDisk(dir).read()).isEmpty();
    }

    @Test
    void aDocumentThatDoesNotMatchItsDigestIsNotUsed() throws IOException {
        ConfigDisk disk = new ConfigDisk(dir);
        disk.write(version(3));
        Path file = dir.resolve(ConfigDisk.FILE);
        Files.writeString(file, Files.readString(file).replace("\"r3\"", "\"edited\""));

        assertThat(disk.read()).isEmpty();
    }

    @Test
    void aHalfWrittenTemporaryFileIsIgnoredAndThenReplaced() throws IOException {
        ConfigDisk disk = new ConfigDisk(dir);
        disk.write(version(3));
        Path temporary = dir.resolve(ConfigDisk.FILE + ".tmp");
        Files.writeString(temporary, "{\"version\": 9, \"document\": {\"rou"); // a crash in the middle of a write

        assertThat(disk.read()).hasValueSatisfying(read -> assertThat(read.version()).isEqualTo(3));

        disk.write(version(4));
        assertThat(disk.read()).hasValueSatisfying(read -> assertThat(read.version()).isEqualTo(4));
        assertThat(temporary).doesNotExist();
    }

    @Test
    void aWriteThatFailsLeavesThePreviousVersionInPlace() throws IOException {
        ConfigDisk disk = new ConfigDisk(dir);
        disk.write(version(3));
        Files.createDirectory(dir.resolve(ConfigDisk.FILE + ".tmp")); // the temporary file cannot be opened

        assertThatThrownBy(() -> disk.write(version(4))).isInstanceOf(IOException.class);
        assertThat(disk.read()).hasValueSatisfying(read -> assertThat(read.version()).isEqualTo(3));
    }

    @Test
    void theDirectoryIsForcedToDiskAfterTheNewFileIsInPlace() throws IOException {
        List<String> seen = new ArrayList<>();
        ConfigDisk disk = new ConfigDisk(dir, directory -> seen.add(directory + " "
                + Files.readString(directory.resolve(ConfigDisk.FILE), StandardCharsets.UTF_8).contains("\"r5\"")
                + " " + Files.exists(directory.resolve(ConfigDisk.FILE + ".tmp"))));

        disk.write(version(5));

        assertThat(seen).containsExactly(dir.toAbsolutePath() + " true false");
    }

    @Test
    void aDirectoryTheFileSystemRefusesToForceDoesNotFailTheWrite() {
        assertThatCode(() -> ConfigDisk.forceDirectory(dir.resolve("missing"))).doesNotThrowAnyException();
    }
}
