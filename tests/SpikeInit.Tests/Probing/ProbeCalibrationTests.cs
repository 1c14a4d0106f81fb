using SpikeInit.Initialization;
using SpikeInit.Probing;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary><c>probe --calibrate</c>: each repeat's network calibrated on its own input before it is measured.</summary>
public sealed class ProbeCalibrationTests(ITestOutputHelper output) : TempFolderTest("spikeinit-probe-calibrate-")
{
    private static readonly ProbeConfiguration Small = new() { Method = "kaiming", Width = 200, Depth = 6, Steps = 10, Repeats = 2, Batch = 4 };

    /// <summary>A layer's firing rate averaged over the T steps (as calibration measures it).</summary>
    private static double Rate(ProbeResult r, int layer) => r.Rows.Where(x => x.Layer == layer).Average(x => x.FiringRate);

    [Fact]
    public void Keep_first_brings_every_layer_to_layer_1s_rate_and_leaves_layer_1_as_initialized()
    {
        ProbeConfiguration c = Small with { Calibrate = CalibrationTarget.Parse("keep-first") };
        ProbeResult calibrated = Probe.Run(c, 7), plain = Probe.Run(Small, 7);
        Assert.Equal(2, calibrated.Calibrations.Count);
        foreach (IReadOnlyList<LayerCalibration> repeat in calibrated.Calibrations)
        {
            Assert.Equal(Enumerable.Range(1, 6), repeat.Select(x => x.Layer));          // dense layers 1..6, the last included
            Assert.Equal(1.0, repeat[0].Scale);
            Assert.All(repeat, x => Assert.InRange(x.RateAfter, 0.9 * repeat[0].RateAfter, 1.1 * repeat[0].RateAfter));
        }
        // layer 1 is kept: identical to the uncalibrated probe with the same seed (calibration draws nothing)
        for (int t = 0; t < c.Steps; t++) Assert.Equal(plain.At(1, t).SpikeCount, calibrated.At(1, t).SpikeCount, 9);
        // measured by the probe on the same inputs: each repeat within ±10 % of its layer 1, so the mean over repeats too
        for (int l = 2; l <= 6; l++)
        {
            output.WriteLine($"layer {l}: rate {Rate(calibrated, l):G4} (uncalibrated {Rate(plain, l):G4}), layer 1 {Rate(calibrated, 1):G4}");
            Assert.InRange(Rate(calibrated, l), 0.9 * Rate(calibrated, 1), 1.1 * Rate(calibrated, 1));
        }
        Assert.True(Rate(plain, 6) < 0.5 * Rate(plain, 1), "kaiming alone loses activity with depth (so calibration had work to do)");
        Assert.All(calibrated.Rows, x => Assert.True(double.IsNaN(x.TheoryFiringRate))); // the initializer's prediction is of the uncalibrated network
    }

    [Fact]
    public void A_rate_target_is_met_by_every_layer_and_named_in_label_csv_and_summary()
    {
        ProbeConfiguration c = Small with { Method = "micheli", Repeats = 1, Calibrate = CalibrationTarget.Parse("rate:0.1") };
        Assert.Equal("micheli+calibrated", c.MethodLabel);
        Assert.StartsWith("micheli+calibrated(rate:0.1) theta=1", c.Label, StringComparison.Ordinal);
        ProbeResult r = Probe.Run(c, 3);
        for (int l = 1; l <= 6; l++) Assert.InRange(Rate(r, l), 0.09, 0.11);
        string[] csv = ProbeReport.Csv([r, Probe.Run(Small with { Repeats = 1, Depth = 1 }, 3)]).TrimEnd('\n').Split('\n');
        string[] header = csv[0].Split(',');
        Assert.Equal(ProbeReport.Header.Split(','), header);
        int method = Array.IndexOf(header, "method"), target = Array.IndexOf(header, "calibrate");
        Assert.Equal(["micheli+calibrated", "kaiming"], csv.Skip(1).Select(line => line.Split(',')[method]).Distinct());
        Assert.Equal(["rate:0.1", ""], csv.Skip(1).Select(line => line.Split(',')[target]).Distinct());
        ProbeReport.Write(dir, [r], 3, "calibrated");
        using var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        System.Text.Json.JsonElement configuration = summary.RootElement.GetProperty("configurations")[0];
        Assert.Equal("rate:0.1", configuration.GetProperty("calibrate").GetString());
        Assert.Equal("micheli+calibrated", configuration.GetProperty("method").GetString());
    }

    [Fact]
    public void Cli_calibrates_and_rejects_a_bad_target()
    {
        string outDir = Path.Combine(dir, "out");
        var (code, _, err) = CliTests.Run("probe", "--method", "kaiming", "--calibrate", "keep-first", "--width", "100", "--depth", "3", "--steps", "5",
                                          "--batch", "2", "--repeats", "1", "--out", outDir);
        Assert.True(code == 0, err);
        string[] csv = File.ReadAllLines(Path.Combine(outDir, "probe.csv"));
        int method = Array.IndexOf(csv[0].Split(','), "method");
        Assert.All(csv.Skip(1), line => Assert.Equal("kaiming+calibrated", line.Split(',')[method]));
        foreach (string bad in new[] { "speed:3", "rate:2", "sigma:-1" })
        {
            (code, _, err) = CliTests.Run("probe", "--calibrate", bad, "--width", "10", "--depth", "1", "--repeats", "1", "--out", outDir);
            Assert.NotEqual(0, code);
            Assert.StartsWith("error: calibrate", err.Trim(), StringComparison.Ordinal);
        }
    }
}
