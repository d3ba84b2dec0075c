package io.gridgate.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachedResponseTest {

    private static CachedResponse response(byte[] body, List<CachedResponse.Header> headers) {
        return new CachedResponse(200, headers, body, 1_000, 2_000, 3_000, Set.of("t"), "/a");
    }

    @Test
    void equalBodiesMakeEqualResponses() {
        CachedResponse one = response(new byte[] {1, 2, 3}, List.of());
        CachedResponse two = response(new byte[] {1, 2, 3}, List.of());

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one).isNotEqualTo(response(new byte[] {1, 2, 4}, List.of()));
    }

    @Test
    void changingTheGivenOrReturnedBodyOrHeadersChangesNothing() {
        byte[] body = {1, 2, 3};
        List<CachedResponse.Header> headers = new ArrayList<>(List.of(new CachedResponse.Header("A", "1")));
        CachedResponse cached = response(body, headers);

        body[0] = 9;
        headers.clear();
        cached.body()[1] = 9;

        assertThat(cached.body()).containsExactly(1, 2, 3);
        assertThat(cached.headers()).hasSize(1);
        assertThat(cached.bodyBuffer().isReadOnly()).isTrue();
    }

    @Test
    void toStringLeavesOutTheBody() {
        assertThat(response("secret".getBytes(), List.of()).toString()).doesNotContain("secret").contains("6 bytes");
    }

    @Test
    void aStaleLimitBeforeExpiryIsRejectedWithTheValue() {
        assertThatThrownBy(() -> new CachedResponse(200, List.of(), new byte[0], 1_000, 2_000, 1_500, Set.of(), "/a"))
                .hasMessage("staleUntilMillis: 1500 (expected: >= expiresAtMillis 2000)");
    }
}
