package io.gridgate.node.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's complete example is what users copy first: it must be a config the node accepts. */
class ReadmeExampleTest {

    private static String completeExample() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("### A complete example");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    @Test
    void theCompleteExampleInTheReadmeIsAValidConfig(@TempDir Path dir) throws Exception {
        // Only the key store path names a file that must exist; it is read when the listener starts.
        Path keyStore = Files.writeString(dir.resolve("tls.p12"), "x");
        String example = completeExample().replace("/etc/gridgate/tls.p12", keyStore.toString());

        GatewayConfig config = ConfigLoader.parse("README.md", example, Map.of());

        assertThat(config.routes()).isNotEmpty();
        RouteConfig users = config.routes().get(0);
        assertThat(users.retry()).isEqualTo(RetryConfig.DEFAULT);
        assertThat(users.rateLimits()).extracting(RateLimitConfig::id).containsExactly("per-client", "standard");
        assertThat(config.service("orders").circuitBreaker()).isEqualTo(CircuitBreakerConfig.DEFAULT);
        assertThat(config.service("orders").retryBudget()).isEqualTo(RetryBudgetConfig.DEFAULT);
    }
}
