package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final String EXPOSITION = """
            # HELP gridgate_cluster_members Members of the cluster this node sees, itself included
            # TYPE gridgate_cluster_members gauge
            gridgate_cluster_members 3.0
            # HELP gridgate_cluster_members_expected Not a real metric: a name that starts like another
            gridgate_cluster_members_expected 7.0
            # TYPE gridgate_grid_operation_duration_seconds histogram
            gridgate_grid_operation_duration_seconds_bucket{operation="rate_limit.acquire",outcome="ok",le="+Inf"} 1200
            gridgate_grid_operation_duration_seconds_count{operation="rate_limit.acquire",outcome="ok"} 1200
            gridgate_grid_operation_duration_seconds_count{operation="rate_limit.acquire",outcome="failed"} 3
            gridgate_grid_operation_duration_seconds_count{operation="rate_limit.lease",outcome="ok"} 12
            gridgate_grid_operation_duration_seconds_count{operation="cache.get",outcome="ok"} 500
            gridgate_grid_operation_duration_seconds_sum{operation="rate_limit.acquire",outcome="ok"} 0.25
            """;

    @Test
    void sumsTheRateLimitersGridOperationsOfEveryOutcomeAndNothingElse() {
        assertThat(PrometheusText.sum(EXPOSITION, PrometheusText.GRID_OPERATIONS_COUNT,
                PrometheusText.RATE_LIMIT_OPERATION)).isEqualTo(1215);
        assertThat(PrometheusText.sum(EXPOSITION, PrometheusText.GRID_OPERATIONS_COUNT, "")).isEqualTo(1715);
    }

    @Test
    void readsAnUnlabelledGaugeWithoutTakingMetricsWhoseNameStartsLikeIt() {
        assertThat(PrometheusText.sum(EXPOSITION, PrometheusText.CLUSTER_MEMBERS, "")).isEqualTo(3);
    }

    @Test
    void readsZeroForAMetricWithoutSamplesAsForALabelledCounterBeforeItsFirstIncrement() {
        assertThat(PrometheusText.sum("# TYPE gridgate_cluster_members gauge\n",
                PrometheusText.GRID_OPERATIONS_COUNT, PrometheusText.RATE_LIMIT_OPERATION)).isZero();
    }
}
