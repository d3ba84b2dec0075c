package io.gridgate.node;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps Hazelcast behind cluster-state's interfaces: only its {@code internal} package (and its own
 * tests) may import {@code com.hazelcast}, so no other module can come to depend on grid types.
 */
class ArchitectureTest {

    private static final Pattern HAZELCAST_IMPORT = Pattern.compile("^import\\s+(static\\s+)?com\\.hazelcast\\.", Pattern.MULTILINE);
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void onlyClusterStateInternalsImportHazelcast() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(ROOT)) {
            offenders = files
                    .filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(ROOT.resolve(".git")))
                    .filter(ArchitectureTest::importsHazelcast)
                    .map(p -> ROOT.relativize(p).toString())
                    .filter(p -> !p.startsWith("cluster-state/src/main/java/io/gridgate/cluster/internal/"))
                    .filter(p -> !p.startsWith("cluster-state/src/test/"))
                    .toList();
        }
        assertThat(offenders).as("files importing com.hazelcast outside cluster-state's internal package").isEmpty();
    }

    @Test
    void theScanSeesTheInternalPackageItAllows() {
        assertThat(importsHazelcast(ROOT.resolve(
                "cluster-state/src/main/java/io/gridgate/cluster/internal/HazelcastGrid.java"))).isTrue();
    }

    private static boolean importsHazelcast(Path file) {
        try {
            return HAZELCAST_IMPORT.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
