package io.gridgate.node.admin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadinessTest {

    private static boolean ready(Readiness readiness) {
        return readiness.states().values().stream().allMatch(Boolean::booleanValue);
    }

    @Test
    void aNodeIsNotReadyUntilItHasStartedEvenWithEveryCheckPassing() {
        Readiness readiness = new Readiness().check("gridJoined", () -> true);

        assertThat(ready(readiness)).isFalse();
        readiness.started();
        assertThat(ready(readiness)).isTrue();
    }

    @Test
    void aDrainingNodeIsNotReady() {
        Readiness readiness = new Readiness();
        readiness.started();

        readiness.draining();

        assertThat(readiness.states()).containsEntry("notDraining", false);
        assertThat(ready(readiness)).isFalse();
    }

    @Test
    void aFailingCheckMakesTheNodeNotReady() {
        Readiness readiness = new Readiness().check("gridJoined", () -> false);
        readiness.started();

        assertThat(ready(readiness)).isFalse();
    }
}
