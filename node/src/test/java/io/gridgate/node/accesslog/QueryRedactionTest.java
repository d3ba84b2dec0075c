package io.gridgate.node.accesslog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QueryRedactionTest {

    private final QueryRedaction redaction = QueryRedaction.of(List.of("X-Client-Key"));

    @Test
    void redactsTheValuesOfCredentialParametersOnly() {
        assertThat(redaction.redact("access_token=abc&x=1")).isEqualTo("access_token=REDACTED&x=1");
        assertThat(redaction.redact("a=1&API_KEY=k&b=2&sig=s")).isEqualTo("a=1&API_KEY=REDACTED&b=2&sig=REDACTED");
        assertThat(redaction.redact("x=1&y=2")).isEqualTo("x=1&y=2");
    }

    @Test
    void redactsConfiguredNamesWithoutCase() {
        assertThat(redaction.redact("x-client-key=k1")).isEqualTo("x-client-key=REDACTED");
    }

    @Test
    void seesThroughPercentEncodedNames() {
        assertThat(redaction.redact("access%5Ftoken=abc")).isEqualTo("access%5Ftoken=REDACTED");
        assertThat(redaction.redact("bad%zz=abc")).isEqualTo("bad%zz=REDACTED");
    }

    @Test
    void leavesEmptyValuesAndBareNamesAlone() {
        assertThat(redaction.redact("token=&token&=x&")).isEqualTo("token=&token&=x&");
        assertThat(redaction.redact("")).isEmpty();
    }
}
