package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoreUsageTest {

    private static final double PROXIED = 1e9;
    private static final double DIRECT = Double.NaN;

    @Test
    void isQuietWhenOthersTookNothingMeasurable() {
        assertThat(usage(0.01, 0.01, 0.2, 0.2, PROXIED).noisy()).isFalse();
    }

    @Test
    void isNoisyWhenOthersTookAFewPercentOfTheLoadCoreOverTheRun() {
        assertThat(usage(0.05, 0, 0.2, 0, PROXIED).noisy()).isTrue();
    }

    @Test
    void isNoisyAfterAShortBurstThatBarelyMovesTheAverage() {
        assertThat(usage(0.01, 0.02, 0.1, 0.9, PROXIED).noisy()).isTrue();
    }

    @Test
    void ignoresTheProxyCoreForTheDirectTargetWhichLeavesItIdleInSplitMode() {
        assertThat(usage(0.01, 0.6, 0.1, 1.0, DIRECT).noisy()).isFalse();
    }

    private static CoreUsage usage(double loadForeign, double proxyForeign, double peakLoad, double peakProxy,
            double proxyCpuNanos) {
        return new CoreUsage(0.9, 0.9, loadForeign, proxyForeign, peakLoad, peakProxy, 1e9, proxyCpuNanos);
    }
}
