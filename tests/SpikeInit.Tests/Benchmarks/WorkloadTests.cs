using SpikeInit.Benchmarks;

namespace SpikeInit.Tests;

/// <summary>The bench's memory and phase figures.</summary>
public class WorkloadTests
{
    [Fact]
    public void Training_bench_reports_peak_memory_and_phase_times()
    {
        if (!OperatingSystem.IsLinux()) return;
        BenchResult r = Workloads.TrainMlp(repeats: 3);
        double peak = r.Extra["peak_rss_mib"]!.GetValue<double>();
        Assert.InRange(peak, 50, 4096);
        double phases = r.Extra["forward_s"]!.GetValue<double>() + r.Extra["backward_s"]!.GetValue<double>() + r.Extra["optimizer_s"]!.GetValue<double>();
        Assert.InRange(phases, 0.2 * r.Median, 1.05 * r.Seconds.Max());
        Assert.Equal(2.3026, r.Extra["loss"]!.GetValue<double>(), 3);      // ln 10: no output spike at PyTorch-default init
    }
}
