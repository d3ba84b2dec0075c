package io.gridgate.node.pipeline;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Users look up the error codes they get in the README: every reply the gateway can make is in its table. */
class ReadmeReasonsTest {

    @Test
    void everyLocalReplyIsInTheReadmesTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (Reason reason : Reason.values()) {
            assertThat(readme).as(reason.name()).contains("| " + reason.status() + " | `" + reason.code() + "` |");
        }
    }
}
