package io.gridgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CpuAccountingTest {

    private static final long MS = 1_000_000;
    /** One second of a core at USER_HZ 100. */
    private static final long SECOND_OF_TICKS = 100;

    @Test
    void onOneCpuCountsTheJvmAndEveryProxyAsOursAndOnlyTheRestAsForeign() {
        // 90% busy over one second: 500 ms this JVM, 350 ms its proxies (300 ms the measured one), 50 ms someone else
        CpuAccounting.Snapshot before = snapshot(core(0, 0), core(0, 0), 0, 0, 0);
        CpuAccounting.Snapshot after = snapshot(core(90, SECOND_OF_TICKS), core(90, SECOND_OF_TICKS), 500, 350, 300);

        CoreUsage usage = CpuAccounting.between(before, after, CpuPinning.oneCpu(1));

        assertThat(usage.loadBusy()).isCloseTo(0.9, within(1e-9));
        assertThat(usage.proxyBusy()).isEqualTo(usage.loadBusy());
        assertThat(usage.loadForeign()).isCloseTo(0.05, within(1e-9));
        assertThat(usage.proxyForeign()).isEqualTo(usage.loadForeign());
        assertThat(usage.loadCpuNanos()).isEqualTo(500 * MS);
        assertThat(usage.proxyCpuNanos()).isEqualTo(300 * MS);
    }

    @Test
    void onOneCpuIsQuietWhenTheBenchmarksOwnProcessesExplainTheBusyCore() {
        CpuAccounting.Snapshot before = snapshot(core(0, 0), core(0, 0), 0, 0, 0);
        CpuAccounting.Snapshot after = snapshot(core(100, SECOND_OF_TICKS), core(100, SECOND_OF_TICKS), 600, 400, 0);

        CoreUsage usage = CpuAccounting.between(before, after, CpuPinning.oneCpu(1));

        assertThat(usage.loadForeign()).isZero();
        assertThat(usage.noisy()).isFalse();
    }

    @Test
    void inSplitModeChargesOnlyThisJvmToTheLoadCoreAndOnlyTheProxiesToTheProxyCore() {
        // The load core is saturated, 800 ms of it this JVM: 200 ms were someone else's even though the proxies
        // (on the other core) used 900 ms; adding those to "ours" would hide the interference.
        CpuAccounting.Snapshot before = snapshot(core(0, 0), core(0, 0), 0, 0, 0);
        CpuAccounting.Snapshot after = snapshot(core(100, SECOND_OF_TICKS), core(95, SECOND_OF_TICKS), 800, 900, 880);

        CoreUsage usage = CpuAccounting.between(before, after, CpuPinning.split());

        assertThat(usage.loadForeign()).isCloseTo(0.2, within(1e-9));
        assertThat(usage.proxyForeign()).isCloseTo(0.05, within(1e-9));
        assertThat(usage.noisy()).isTrue();
    }

    @Test
    void unpinnedKeepsProcessTimesButAttributesNoCore() {
        CpuAccounting.Snapshot before = snapshot(null, null, 0, 0, 0);
        CpuAccounting.Snapshot after = snapshot(null, null, 500, 300, 300);

        CoreUsage usage = CpuAccounting.between(before, after, CpuPinning.none());

        assertThat(usage.loadBusy()).isNaN();
        assertThat(usage.loadForeign()).isNaN();
        assertThat(usage.loadCpuNanos()).isEqualTo(500 * MS);
        assertThat(usage.proxyCpuNanos()).isEqualTo(300 * MS);
    }

    @Test
    void readsThisJvmsOwnCpuTimeFromProc() {
        OptionalLong self = CpuAccounting.processNanos(ProcessHandle.current());

        // Linux only; elsewhere the benchmark reports the figure as unknown
        self.ifPresent(nanos -> assertThat(nanos).isPositive());
    }

    private static CpuAccounting.CoreTicks core(long busy, long total) {
        return new CpuAccounting.CoreTicks(busy, total);
    }

    private static CpuAccounting.Snapshot snapshot(CpuAccounting.CoreTicks load, CpuAccounting.CoreTicks proxy,
            long selfMillis, long childrenMillis, long targetMillis) {
        return new CpuAccounting.Snapshot(load, proxy, OptionalLong.of(selfMillis * MS),
                OptionalLong.of(childrenMillis * MS), OptionalLong.of(targetMillis * MS));
    }
}
