package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CostRatioTest {

    @Test
    void dividesGridgatesAddedCostByNginxs() {
        // D/G - 1 = 1.5, D/N - 1 = 1.0
        assertThat(CostRatio.of(100_000, 50_000, 40_000)).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void isOneWhenGridgateMatchesNginx() {
        assertThat(CostRatio.of(90_000, 60_000, 60_000)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void recoversThePerRequestCostRatioWhenAllWorkSharesOneCpu() {
        double base = 10e-6;
        double nginxHop = 15e-6;
        double gridgateHop = 30e-6;
        double d = 1 / base;
        double n = 1 / (base + nginxHop);
        double g = 1 / (base + gridgateHop);

        assertThat(CostRatio.of(d, n, g)).isCloseTo(gridgateHop / nginxHop, within(1e-9));
    }

    @Test
    void derivesEachHopsAddedMicrosecondsFromThroughput() {
        // 1/40k - 1/100k = 25 us - 10 us
        assertThat(CostRatio.addedMicrosPerRequest(100_000, 40_000)).isCloseTo(15.0, within(1e-9));
        assertThat(CostRatio.addedMicrosPerRequest(100_000, 0)).isNaN();
    }

    @Test
    void equalsTheRatioOfTheAddedMicroseconds() {
        double d = 40_000;
        double n = 25_000;
        double g = 16_000;

        assertThat(CostRatio.of(d, n, g)).isCloseTo(
                CostRatio.addedMicrosPerRequest(d, g) / CostRatio.addedMicrosPerRequest(d, n), within(1e-9));
    }

    @Test
    void isUndefinedWhenNginxIsNotSlowerThanDirect() {
        assertThat(CostRatio.of(50_000, 50_000, 40_000)).isNaN();
        assertThat(CostRatio.of(50_000, 55_000, 40_000)).isNaN();
    }

    @Test
    void isUndefinedWhenAThroughputIsMissing() {
        assertThat(CostRatio.of(50_000, 40_000, 0)).isNaN();
        assertThat(CostRatio.of(Double.NaN, 40_000, 30_000)).isNaN();
    }
}
