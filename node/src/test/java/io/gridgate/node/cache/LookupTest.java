package io.gridgate.node.cache;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class LookupTest {

    private final CachePolicy policy = CachePolicy.of(CacheRules.builder().build());

    @ParameterizedTest(name = "{0} with [{1}] -> {2}")
    @CsvSource(delimiter = ';', value = {
            "GET;                                   ; true",
            "HEAD;                                  ; true",
            "POST;                                  ; false",
            "PUT;                                   ; false",
            "DELETE;                                ; false",
            "OPTIONS;                               ; false",
            "get;                                   ; false",
            "GET; Cache-Control: no-store           ; false",
            "GET; Cache-Control: no-cache           ; false",
            "GET; Cache-Control: max-age=0          ; false",
            "GET; Cache-Control: MAX-AGE=0          ; false",
            "GET; Cache-Control: max-age=60         ; true",
            "GET; Cache-Control: max-stale=30       ; true",
            "GET; Pragma: no-cache                  ; false",
            "GET; Pragma: no-cache | Cache-Control: max-age=60 ; true",
            "GET; Authorization: Bearer x           ; true",
    })
    void looksUpOnlySafeRequestsThatDoNotAskToSkipTheCache(String method, String request, boolean allowed) {
        assertThat(policy.isLookupAllowed(method, TestHeaders.parse(request))).isEqualTo(allowed);
    }
}
