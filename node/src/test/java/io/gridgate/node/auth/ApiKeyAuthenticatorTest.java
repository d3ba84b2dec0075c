package io.gridgate.node.auth;

import io.gridgate.cluster.ApiKeyOwner;
import io.gridgate.cluster.ApiKeyStore;
import io.gridgate.cluster.Grid;
import io.gridgate.cluster.testing.TestGrids;
import io.gridgate.node.config.AuthConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void seedingIntoAGridThatNeverAnswersFailsWithinItsWaitInsteadOfBlockingForever() {
        ApiKeyStore silent = new ApiKeyStore() {
            @Override
            public CompletionStage<Optional<ApiKeyOwner>> find(String keyDigest) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletionStage<Void> putAll(Map<String, ApiKeyOwner> owners) {
                return new CompletableFuture<>();
            }

            @Override
            public CompletionStage<Void> remove(String keyDigest) {
                return new CompletableFuture<>();
            }
        };
        AuthConfig config = new AuthConfig(List.of(), AuthConfig.ApiKeys.DEFAULT,
                List.of(new AuthConfig.Consumer("mobile-app", List.of(KEY), List.of(), List.of())),
                AuthConfig.IdentityHeaders.DEFAULT);

        long started = System.nanoTime();
        assertThatThrownBy(() -> Authenticators.start(config, silent, Clock.systemUTC(), Duration.ofMillis(200)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot store the consumers' API keys in the grid within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(Authenticators.SEED_WAIT).isEqualTo(Duration.ofSeconds(10));
    }
}
