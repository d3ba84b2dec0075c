package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridgate.loadtest.CacheSample.Verdict;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CacheSampleTest {

    @Test
    void callsASampleHitsWhenEveryAnswerSaysHitAndNoneReachedTheBackend() {
        CacheSample sample = new CacheSample(100, 0, Map.of("HIT", 100), 100, 0);

        assertThat(sample.verdict()).isEqualTo(Verdict.HITS);
        assertThat(sample.hits()).isEqualTo(100);
        assertThat(sample.describe()).isEqualTo("100 requests: X-Cache HIT 100, 100 with Age, 0 reached the backend");
    }

    @Test
    void trustsTheBackendsCountOverAMissingOrOtherHeader() {
        assertThat(new CacheSample(100, 0, Map.of(CacheSample.NO_HEADER, 100), 0, 0).verdict())
                .isEqualTo(Verdict.UNLABELLED_HITS);
        assertThat(new CacheSample(100, 0, Map.of("HIT", 100), 100, 3).verdict()).isEqualTo(Verdict.NOT_HITS);
    }

    @Test
    void refusesASampleWithMissesFailuresOrNoRequests() {
        assertThat(new CacheSample(100, 0, Map.of("MISS", 100), 0, 100).verdict()).isEqualTo(Verdict.NOT_HITS);
        assertThat(new CacheSample(100, 1, Map.of("HIT", 99), 99, 0).verdict()).isEqualTo(Verdict.NOT_HITS);
        assertThat(new CacheSample(0, 0, Map.of(), 0, 0).verdict()).isEqualTo(Verdict.NOT_HITS);
        assertThat(new CacheSample(100, 1, Map.of("HIT", 99), 99, 0).describe()).endsWith(", 1 FAILED");
    }

    @Test
    void describesTheWarmUpRequestInTheSingular() {
        assertThat(new CacheSample(1, 0, Map.of("MISS", 1), 0, 1).describe())
                .isEqualTo("1 request: X-Cache MISS 1, 0 with Age, 1 reached the backend");
    }
}
