using SpikeInit.Probing;
using SpikeInit.Theory;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>The propagation probe against the papers' claims that reproduce (fixed seeds, reduced repeats).</summary>
public sealed class ProbeTests(ITestOutputHelper output) : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"spikeinit-probe-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private static ProbeResult Run(ProbeConfiguration c, long seed = 1) => Probe.Run(c, seed);

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    public void Micheli_preserves_variance_over_100_layers_of_1000(double theta)
    {
        // Micheli Fig. 2 at full width and depth, one step; 2 repeats × 16 samples (the paper: 20 repeats)
        var r = Run(new ProbeConfiguration { Method = "micheli", Theta = theta, Width = 1000, Depth = 100, Steps = 1, Repeats = 2 });
        double ratio = r.At(100, 0).MembraneVar / r.At(0, 0).MembraneVar;
        output.WriteLine($"theta {theta}: Var[u_100]/Var[u_0] = {ratio:G4}");
        Assert.InRange(ratio, 0.8, 1.25);
        Assert.Equal(0, r.CollapsedRepeats);
    }

    [Theory]
    [InlineData(0.75)]
    [InlineData(1.0)]
    public void Kaiming_loses_the_variance_at_thresholds_from_0_75(double theta)
    {
        var r = Run(new ProbeConfiguration { Method = "kaiming", Theta = theta, Width = 1000, Depth = 100, Steps = 1, Repeats = 1 });
        output.WriteLine($"theta {theta}: Var[u_100] = {r.At(100, 0).MembraneVar:G4}");
        Assert.True(r.At(100, 0).MembraneVar < 0.01);
    }

    [Fact]
    public void Micheli_collapses_in_most_repeats_at_width_100_and_theta_1()
    {
        // finite size (Micheli Fig. 3; docs/THEORY.md §M-C5: 99.5 % of runs collapse at n = 100, θ = 1)
        var r = Run(new ProbeConfiguration { Method = "micheli", Theta = 1.0, Width = 100, Depth = 100, Steps = 1, Repeats = 10 });
        output.WriteLine($"collapsed {r.CollapsedRepeats}/10");
        Assert.True(r.CollapsedRepeats >= 8, $"{r.CollapsedRepeats} of 10 repeats collapsed");
    }

    [Fact]
    public void Encoder_statistics_match_the_standard_normal_input()
    {
        // layer 0 at t = 0 is u = x ~ N(0, 1): mean 0, variance 1, skewness 0, excess kurtosis 0, firing Q(θ)
        var r = Run(new ProbeConfiguration { Method = "micheli", Theta = 1.0, Width = 1000, Depth = 1, Steps = 3, Repeats = 4, Batch = 32 });
        ProbeRow row = r.At(0, 0);
        Assert.Equal(0, row.MembraneMean, 1);
        Assert.InRange(row.MembraneVar, 0.97, 1.03);             // 32 000 samples: se of a variance 0.8 %
        Assert.InRange(row.Skewness, -0.06, 0.06);               // se √(6/N) = 0.014
        Assert.InRange(row.Kurtosis, -0.12, 0.12);               // se √(24/N) = 0.027
        Assert.InRange(row.FiringRate, Gaussian.Tail(1) - 0.01, Gaussian.Tail(1) + 0.01);
        Assert.Equal(1 - row.FiringRate, row.SilentFraction, 9); // at t = 0 silent = not fired
        Assert.Equal(row.FiringRate, row.SaturatedFraction, 9);
        Assert.Equal(1.0, row.TheoryMembraneVar, 12);
        Assert.Equal(Gaussian.Tail(1), row.TheoryFiringRate, 12);
        Assert.True(r.At(0, 2).SilentFraction <= row.SilentFraction); // cumulative
        Assert.Equal(1000, row.SpikeCount / row.FiringRate, 6);   // spikes per sample = n · rate
        Assert.True(row.MembraneVarStd > 0);
    }

    [Fact]
    public void Running_statistic_is_Welford_exact()
    {
        var s = new RunningStatistic();
        double[] xs = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16, double.NaN];
        foreach (double x in xs) s.Add(x);
        Assert.Equal(4, s.Count);
        Assert.Equal(1e9 + 10, s.Mean, 6);
        Assert.Equal(Math.Sqrt(30), s.Std, 9); // sample variance of 4, 7, 13, 16 is 30; naive sums lose it at 1e9
        Assert.True(double.IsNaN(new RunningStatistic().Mean));
    }

    [Fact]
    public void Gradient_probe_and_current_based_networks_work_and_the_report_is_complete()
    {
        var lif = Run(new ProbeConfiguration { Method = "micheli", Width = 200, Depth = 6, Steps = 4, Repeats = 2, Gradients = true });
        Assert.Equal(6, lif.Gradients.Count);
        Assert.All(lif.Gradients, g => Assert.True(g.SurrogateMean > 0 && g.WeightGradNorm > 0, $"layer {g.Layer}"));
        var cuba = Run(new ProbeConfiguration { Method = "fluctuation", Neuron = "cuba-lif", Input = ProbeInput.Poisson, Width = 64, Depth = 3, Steps = 40, Repeats = 1 });
        Assert.True(double.IsNaN(cuba.At(0, 0).MembraneVar)); // layer 0 is the input raster
        Assert.Equal(15.8 * 2e-3, cuba.At(0, 0).TheoryFiringRate, 12);
        IReadOnlyList<string> files = ProbeReport.Write(dir, [lif, cuba], 1, "test");
        string[] csv = File.ReadAllLines(Path.Combine(dir, "probe.csv"));
        foreach (string column in "method, theta, beta, width, depth, layer, time, repeats, membrane_mean, membrane_var, membrane_var_std, skewness, kurtosis, firing_rate, firing_rate_std, spike_count, silent_fraction, theory_membrane_var, theory_firing_rate".Split(", "))
            Assert.Contains(column, csv[0].Split(','));
        Assert.Equal(1 + 7 * 4 + 4 * 40, csv.Length);
        foreach (string name in new[] { "report.html", "summary.json", "gradients.csv", "variance_depth.png", "variance_depth.svg", "firing_rate.png", "heatmap_variance_micheli.png", "heatmap_spikes_fluctuation.svg", "skewness.png", "kurtosis.svg", "surrogate_gradient.png" })
            Assert.True(File.Exists(Path.Combine(dir, name)), name);
        byte[] png = File.ReadAllBytes(Path.Combine(dir, "variance_depth.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("variance_depth.svg", html);
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(2, summary.RootElement.GetProperty("configurations").GetArrayLength());
        Assert.Equal(1, summary.RootElement.GetProperty("seed").GetInt64());
        Assert.Contains(files, f => f.EndsWith("report.html", StringComparison.Ordinal));
    }

    [Fact]
    public void Same_seed_same_numbers()
    {
        var c = new ProbeConfiguration { Method = "kaiming", Width = 100, Depth = 3, Steps = 2, Repeats = 2 };
        Assert.Equal(ProbeReport.Csv([Run(c, 5)]), ProbeReport.Csv([Run(c, 5)]));
        Assert.NotEqual(ProbeReport.Csv([Run(c, 5)]), ProbeReport.Csv([Run(c, 6)]));
    }

    [Fact]
    public void Invalid_configurations_name_the_parameter()
    {
        Assert.Contains("width = 0", Assert.Throws<ArgumentOutOfRangeException>(() => new ProbeConfiguration { Width = 0 }).Message, StringComparison.Ordinal);
        Assert.Contains("unknown initialization method", Assert.Throws<ArgumentException>(() => new ProbeConfiguration { Method = "x" }).Message, StringComparison.Ordinal);
        Assert.Contains("poisson", Assert.Throws<ArgumentException>(() => new ProbeConfiguration { Neuron = "cuba-lif" }.Network()).Message, StringComparison.Ordinal);
        Assert.Contains("unknown preset", Assert.Throws<ArgumentException>(() => ProbePresets.Get("nope")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_quick_preset_runs()
    {
        foreach (ProbePreset p in ProbePresets.All)
        {
            var results = p.Quick.Select(c => Run(c with { Repeats = 1 })).ToList();
            Assert.All(results, r => Assert.True(r.Rows.Count > 0));
            output.WriteLine($"{p.Name}: " + string.Join(" | ", ProbeReport.Observations(results)));
        }
    }
}
