package io.gridgate.node.metrics;

import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LabelValuesTest {

    private static String method(String name) {
        return LabelValues.METHODS.get(LabelValues.method(new HttpString(name)));
    }

    private static String statusClass(int status) {
        return LabelValues.STATUS_CLASSES.get(LabelValues.statusClass(status));
    }

    @Test
    void theSevenCommonMethodsKeepTheirNamesAndEveryOtherIsOther() {
        assertThat(LabelValues.METHODS.get(LabelValues.method(Methods.GET))).isEqualTo("GET");
        assertThat(method("PATCH")).isEqualTo("PATCH");
        assertThat(method("OPTIONS")).isEqualTo("OPTIONS");
        assertThat(method("PROPFIND")).isEqualTo("other");
        assertThat(method("BREW")).isEqualTo("other");
    }

    @Test
    void statusesFoldIntoTheirClassAndOutOfRangeOnesIntoOther() {
        assertThat(statusClass(100)).isEqualTo("1xx");
        assertThat(statusClass(204)).isEqualTo("2xx");
        assertThat(statusClass(304)).isEqualTo("3xx");
        assertThat(statusClass(499)).isEqualTo("4xx");
        assertThat(statusClass(599)).isEqualTo("5xx");
        assertThat(statusClass(600)).isEqualTo("other");
        assertThat(statusClass(0)).isEqualTo("other");
    }

    @Test
    void onlyTheCachesOwnXCacheValuesAreResults() {
        assertThat(LabelValues.cacheResult("HIT")).isEqualTo(0);
        assertThat(LabelValues.cacheResult("BYPASS")).isEqualTo(3);
        assertThat(LabelValues.cacheResult("HIT from squid")).isEqualTo(-1);
        assertThat(LabelValues.cacheResult(null)).isEqualTo(-1);
    }
}
