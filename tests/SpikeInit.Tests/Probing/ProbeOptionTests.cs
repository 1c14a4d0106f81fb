using System.Text.Json;
using SpikeInit.Data;
using SpikeInit.Probing;
using SpikeInit.Theory;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>The probe's reset sweep, batch-1 collapse counting, small thresholds and dataset input (issue 13, item 6).</summary>
public sealed class ProbeOptionTests(ITestOutputHelper output) : TempFolderTest("spikeinit-probe-options-")
{
    private static string[] Column(string[] csv, string name)
    {
        int i = Array.IndexOf(csv[0].Split(','), name);
        Assert.True(i >= 0, $"probe.csv has no column {name}");
        return [.. csv.Skip(1).Select(line => line.Split(',')[i])];
    }

    [Fact]
    public void Reset_sweep_reaches_the_neuron_and_the_csv()
    {
        var template = new ProbeConfiguration { Width = 200, Depth = 3, Steps = 5, Repeats = 1, Batch = 2 };
        IReadOnlyList<ProbeConfiguration> sweep = ProbePresets.Sweep(template, ["micheli"], [1.0], [0.5], [200], [3],
                                                                     resets: [LifReset.SubtractNextStep, LifReset.ZeroBeforeDecay]);
        Assert.Equal([LifReset.SubtractNextStep, LifReset.ZeroBeforeDecay], sweep.Select(c => ((LifNeuron)c.NeuronModel()).Parameters.Reset));
        Assert.Equal(["minus", "pre"], sweep.Select(c => c.ResetName));
        Assert.DoesNotContain("reset", sweep[0].Label, StringComparison.Ordinal); // the default is not labelled
        Assert.Contains("reset=pre", sweep[1].Label, StringComparison.Ordinal);
        ProbeResult minus = Probe.Run(sweep[0], 3), pre = Probe.Run(sweep[1], 3);
        // same seed: identical at t = 0 (no reset has acted yet), different once spikes have been reset
        Assert.Equal(minus.At(2, 0).MembraneVar, pre.At(2, 0).MembraneVar, 12);
        Assert.NotEqual(minus.At(2, 4).MembraneVar, pre.At(2, 4).MembraneVar);
        string[] csv = ProbeReport.Csv([minus, pre]).TrimEnd('\n').Split('\n');
        foreach (string c in "method, beta, reset, layer, time, spike_count, membrane_var".Split(", ")) Column(csv, c);
        Assert.Equal(4 * 5, Column(csv, "reset").Count(r => r == "minus"));
        Assert.Equal(4 * 5, Column(csv, "reset").Count(r => r == "pre"));
        ProbeReport.Write(dir, [minus, pre], 3, "resets");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        Assert.Equal(["minus", "pre"], summary.RootElement.GetProperty("configurations").EnumerateArray().Select(c => c.GetProperty("reset").GetString()));
    }

    [Fact]
    public void Models_without_a_reset_option_leave_the_column_empty_and_reject_a_reset()
    {
        var k = new ProbeConfiguration { Neuron = "klambda", Beta = 0.8, Width = 50, Depth = 1, Steps = 2, Repeats = 1 };
        Assert.Null(k.ResetName);
        Assert.Equal("", Column(ProbeReport.Csv([Probe.Run(k, 1)]).TrimEnd('\n').Split('\n'), "reset")[0]);
        var e = Assert.Throws<ArgumentException>(() => (k with { Reset = LifReset.ZeroAfterInput }).Network());
        Assert.Contains("reset = 'post' applies to neuron models with a reset option (lif, alif)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Micheli_width_uses_batch_1_and_batch_1_shows_collapses_a_batch_hides()
    {
        ProbePreset preset = ProbePresets.Get("micheli-width");
        Assert.All(preset.Full.Concat(preset.Quick), c => Assert.Equal(1, c.Batch));
        // Micheli Fig. 3: n = 100, θ = 0.85, 100 layers; a batch of 16 pools the samples, so a layer is silent only if it is
        // silent for all 16 (measured with the CLI's seed: 4 of 10 collapse at batch 1, 0 of 10 at batch 16)
        var c = new ProbeConfiguration { Method = "micheli", Theta = 0.85, Width = 100, Depth = 100, Steps = 1, Repeats = 10, Batch = 1 };
        ProbeResult one = Probe.Run(c, 1), sixteen = Probe.Run(c with { Batch = 16 }, 1);
        output.WriteLine($"collapsed: batch 1 {one.CollapsedRepeats}/10 (first silent layers {string.Join(",", one.FirstSilentLayers)}), batch 16 {sixteen.CollapsedRepeats}/10");
        Assert.True(one.CollapsedRepeats >= 2, $"batch 1: {one.CollapsedRepeats} of 10 collapsed");
        Assert.True(one.CollapsedRepeats > sixteen.CollapsedRepeats);
        Assert.Equal(10, one.FirstSilentLayers.Count);
        Assert.Equal(one.CollapsedRepeats, one.FirstSilentLayers.Count(l => l is not null));
        Assert.All(one.FirstSilentLayers.OfType<int>(), l => Assert.InRange(l, 1, 100));
        ProbeReport.Write(dir, [one], 1, "width");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        JsonElement s = summary.RootElement.GetProperty("configurations")[0];
        Assert.Equal(one.CollapsedRepeats, s.GetProperty("collapsed_repeats").GetInt32());
        Assert.Equal(one.CollapsedRepeats / 10.0, s.GetProperty("collapse_fraction").GetDouble(), 12);
        Assert.Equal(10, s.GetProperty("first_silent_layer_per_repeat").GetArrayLength());
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("Collapse per repeat", html, StringComparison.Ordinal);
        Assert.Contains($"{one.CollapsedRepeats} / 10", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.01)]
    [InlineData(0.05)]
    public void Small_thresholds_run_and_fire_half_the_neurons(double theta)
    {
        // θ → 0 is Micheli's ReLU-like control: at t = 0 a layer with Var[u] ≈ 1 fires with P(u > θ) = Q(θ) ≈ 1/2
        var r = Probe.Run(new ProbeConfiguration { Method = "micheli", Theta = theta, Width = 1000, Depth = 3, Steps = 3, Repeats = 2, Batch = 8 }, 1);
        Assert.Equal(0, r.CollapsedRepeats);
        for (int layer = 0; layer <= 3; layer++)
        {
            ProbeRow row = r.At(layer, 0);
            output.WriteLine($"theta {theta} layer {layer}: rate {row.FiringRate:G4} (theory {row.TheoryFiringRate:G4}), Var[u] {row.MembraneVar:G4} (theory {row.TheoryMembraneVar:G4})");
            Assert.True(double.IsFinite(row.TheoryMembraneVar) && double.IsFinite(row.TheoryFiringRate));
            // 8000 samples per repeat, correlated within a layer through the shared input: tolerance 0.04
            Assert.InRange(row.FiringRate, Gaussian.Tail(theta) - 0.04, Gaussian.Tail(theta) + 0.04);
        }
        Assert.Contains("theta = 0", Assert.ThrowsAny<ArgumentException>(() => new ProbeConfiguration { Theta = 0 }).Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A tiny IDX dataset of 4×4 images in which every image has 8 black and 8 white pixels (at seeded places), so the
    /// standardized pixels are exactly ±1: mean 0, variance 1 in every batch.
    /// </summary>
    private string TinyImages()
    {
        var random = new Random(5);
        byte[] Images(int n) => [.. Enumerable.Range(0, n).SelectMany(_ => Enumerable.Repeat((byte)0, 8).Concat(Enumerable.Repeat((byte)255, 8)).OrderBy(_ => random.Next()))];
        Idx.Write(Path.Combine(dir, "train-images-idx3-ubyte"), new IdxArray([40, 4, 4], Images(40)));
        Idx.Write(Path.Combine(dir, "train-labels-idx1-ubyte"), new IdxArray([40], [.. Enumerable.Range(0, 40).Select(i => (byte)(i % 3))]));
        Idx.Write(Path.Combine(dir, "t10k-images-idx3-ubyte"), new IdxArray([4, 4, 4], Images(4)));
        Idx.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte"), new IdxArray([4], [0, 1, 2, 0]));
        return dir;
    }

    [Fact]
    public void Dataset_batches_drive_an_encoder_of_one_neuron_per_pixel()
    {
        IDatasetSource source = new DataCatalog(dir).Resolve("tiny", TinyImages());
        var c = new ProbeConfiguration { Method = "micheli", Theta = 0.5, Input = ProbeInput.Dataset, Dataset = source, Width = 32, Depth = 2, Steps = 3, Repeats = 2, Batch = 4 };
        Assert.Equal(16, c.Inputs());
        Assert.Contains("input=tiny", c.Label, StringComparison.Ordinal);
        ProbeResult r = Probe.Run(c, 1);
        // measured statistics of the standardized pixels: ±1 exactly
        Assert.Equal(0, r.InputStatistics!.Mean, 6);
        Assert.Equal(1, r.InputStatistics.Variance, 5);
        // layer 0 at t = 0 is u = x: mean 0, variance 1, half of the 16 encoder neurons above θ = 0.5
        ProbeRow encoder = r.At(0, 0);
        Assert.Equal(0, encoder.MembraneMean, 6);
        Assert.Equal(1, encoder.MembraneVar, 5);
        Assert.Equal(0.5, encoder.FiringRate, 9);
        Assert.Equal(8, encoder.SpikeCount, 9);
        Assert.Equal(1.0, encoder.TheoryMembraneVar, 5);   // the initializer got the measured variance
        Assert.All(r.Rows.Where(x => x.Layer > 0), x => Assert.InRange(x.SpikeCount, 0, 32));
        Assert.True(r.Rows.Where(x => x.Layer == 2).Sum(x => x.SpikeCount) > 0);
        string[] csv = ProbeReport.Csv([r]).TrimEnd('\n').Split('\n');
        Assert.All(Column(csv, "input"), v => Assert.Equal("tiny", v));
        Assert.Throws<InvalidOperationException>(() => c.InputStatistics());
    }

    [Fact]
    public void Dataset_input_needs_an_image_dataset()
    {
        IDatasetSource randman = new DataCatalog(dir).Resolve("randman");
        var e = Assert.Throws<ArgumentException>(() => new ProbeConfiguration { Input = ProbeInput.Dataset, Dataset = randman }.Network());
        Assert.Contains("input = 'randman' holds synthetic", e.Message, StringComparison.Ordinal);
        Assert.Contains("needs a dataset", Assert.Throws<ArgumentException>(() => new ProbeConfiguration { Input = ProbeInput.Dataset }.Network()).Message, StringComparison.Ordinal);
        Assert.Contains("use input = dataset", Assert.Throws<ArgumentException>(() => new ProbeConfiguration { Dataset = randman }.Network()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_sweeps_resets_reads_datasets_and_names_bad_values()
    {
        string outDir = Path.Combine(dir, "out");
        var (code, _, err) = CliTests.Run("probe", "--method", "micheli", "--beta", "0.5,0.9", "--reset", "minus,subtract-before-decay", "--steps", "3",
                                          "--batch", "1", "--width", "50", "--depth", "2", "--repeats", "1", "--out", outDir);
        Assert.True(code == 0, err);
        string[] csv = File.ReadAllLines(Path.Combine(outDir, "probe.csv"));
        foreach (string c in "method, beta, reset, layer, time, spike_count, membrane_var".Split(", ")) Column(csv, c);
        Assert.Equal(["minus", "subtract-before-decay"], Column(csv, "reset").Distinct().Order());
        Assert.Equal(1 + 2 * 2 * 3 * 3, csv.Length);

        (code, _, err) = CliTests.Run("probe", "--method", "kaiming", "--input", "tiny", "--data-dir", TinyImages(), "--width", "20", "--depth", "2",
                                      "--steps", "2", "--batch", "2", "--repeats", "1", "--out", outDir);
        Assert.True(code == 0, err);
        Assert.All(Column(File.ReadAllLines(Path.Combine(outDir, "probe.csv")), "input"), v => Assert.Equal("tiny", v));

        (code, _, err) = CliTests.Run("probe", "--theta", "0.01,0.05", "--method", "micheli", "--width", "50", "--depth", "2", "--steps", "2", "--repeats", "1", "--out", outDir);
        Assert.True(code == 0, err);

        foreach (var (args, message) in new (string[], string)[]
                 {
                     (["--reset", "bogus"], "reset = 'bogus' is not one of minus, subtract-before-decay, pre, post, none"),
                     (["--reset", "minus,"], "reset = '' is not one of"),
                     (["--neuron", "klambda", "--reset", "pre"], "applies to neuron models with a reset option"),
                     (["--input", "no-such-data"], "input = 'no-such-data' is not gaussian, poisson or a dataset"),
                     (["--input", "randman"], "holds synthetic"),
                     (["--input", "poisson", "--data-dir", dir], "--data-dir is for a dataset --input"),
                     (["--theta", "0"], "theta = 0"),
                 })
        {
            (code, _, err) = CliTests.Run(["probe", "--width", "10", "--depth", "1", "--repeats", "1", "--out", outDir, .. args]);
            Assert.NotEqual(0, code);
            Assert.Contains(message, err, StringComparison.Ordinal);
        }
    }
}
