package io.gridgate.node.auth;

import io.gridgate.cluster.Grid;
import io.gridgate.cluster.testing.TestGrids;
import io.gridgate.node.config.AuthConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeyAuthenticatorTest {

    private static final String KEY = "k_live_3f8a9c2d7e6b5a41";
    private final TestGrids grids = new TestGrids();

    @AfterEach
    void tearDown() {
        grids.close();
    }

    @Test
    void aSeededKeyIsVerifiedOnAnotherNodeAndOnlyItsDigestIsStored() {
        Grid a = grids.newGrid();
        Grid b = grids.newGrid();
        AuthConfig config = new AuthConfig(List.of(), AuthConfig.ApiKeys.DEFAULT,
                List.of(new AuthConfig.Consumer("mobile-app", List.of(KEY), List.of("orders:read"), List.of("app"))),
                AuthConfig.IdentityHeaders.DEFAULT);
        new ApiKeyAuthenticator(a.apiKeys()).seed(config).toCompletableFuture().join();

        Verdict verdict = new ApiKeyAuthenticator(b.apiKeys()).verify(KEY).toCompletableFuture().join();

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Verified.class, verified -> {
            assertThat(verified.identity().consumer()).isEqualTo("mobile-app");
            assertThat(verified.identity().method()).isEqualTo("apiKey");
            assertThat(verified.identity().scopes()).isEqualTo(Set.of("orders:read"));
            assertThat(verified.identity().roles()).isEqualTo(Set.of("app"));
        });
        assertThat(b.apiKeys().find(KEY).toCompletableFuture().join()).as("the key itself is no grid key").isEmpty();
        assertThat(b.apiKeys().find(ApiKeyAuthenticator.digest(KEY)).toCompletableFuture().join()).isPresent();
    }

    @Test
    void anUnknownKeyIsRejectedWithoutEchoingIt() {
        Grid a = grids.newGrid();
        Verdict verdict = new ApiKeyAuthenticator(a.apiKeys()).verify("k_live_guessed_guessed").toCompletableFuture().join();
        assertThat(verdict).isEqualTo(new Verdict.Rejected("the API key is not known"));
    }

    @Test
    void theDigestIsSha256InLowercaseHex() {
        assertThat(ApiKeyAuthenticator.digest("test"))
                .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    }
}
