using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Training;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>The presets' <c>--reset</c> knob and calibration of the LIF presets to their targets (CI-sized: random 28 × 28 images).</summary>
public class PresetResetTests(ITestOutputHelper output)
{
    private static ImageTrainingData Images(ImageEncoding encoding, int steps, Normalization normalization = Normalization.UnitRange)
    {
        var rng = new Random(3);
        ImageSet Set(string name, int count) => new(name, [.. Enumerable.Range(0, count * 784).Select(_ => (byte)(rng.NextDouble() < 0.3 ? rng.Next(256) : 0))],
                                                    [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))], count, 28, 28, 10);
        return new ImageTrainingData(new ImageDataset(Set("train", 64), Set("test", 16), "random"), 64, 1, encoding, steps, normalization, validationFraction: 0);
    }

    [Theory]
    [InlineData(LifReset.ZeroBeforeDecay)]
    [InlineData(LifReset.ZeroAfterInput)]
    public void Hc_recurrent_takes_a_reset_and_the_pre_reset_calibrates_to_condition_I_rate(LifReset reset)
    {
        ImageTrainingData data = Images(ImageEncoding.Latency, 100);
        TrainingPreset preset = TrainingPresets.Get("hc-recurrent");
        NetworkSpec spec = preset.Build(data, new RunConfiguration { Architecture = "hc-recurrent", Reset = reset });
        var net = SpikingNetwork.Create(spec, new Generator(1));
        Assert.All(net.Blocks.Take(2), b => Assert.Equal(reset, b.Neuron!.Dynamics.Reset));
        Assert.Equal(LifReset.None, net.Blocks[^1].Neuron!.Dynamics.Reset); // the readout does not reset
        if (reset != LifReset.ZeroBeforeDecay) return; // post-reset: 1/2 is the supremum of its rate (see the report)
        using var g = new Generator(2);
        NetworkInitializer.Initialize(net, Initializers.Create("stability"), preset.InputStatistics(data), g);
        var result = Calibration.Run(net, data.Train(0).First().X, data.Steps, CalibrationTarget.Parse("rate:0.5"));
        foreach (LayerCalibration l in result) output.WriteLine($"layer {l.Layer}: {l.RateBefore:G3} -> {l.RateAfter:G3} (scale {l.Scale:G3})");
        Assert.All(result, l => Assert.InRange(l.RateAfter, 0.45, 0.55));
    }

    [Fact]
    public void Micheli_mlp_calibrates_every_hidden_layer_within_10_percent_and_a_preset_without_lif_refuses_a_reset()
    {
        ImageTrainingData data = Images(ImageEncoding.Constant, 3, Normalization.Standardized);
        TrainingPreset preset = TrainingPresets.Get("micheli-mlp");
        var net = SpikingNetwork.Create(preset.Build(data, new RunConfiguration { Architecture = "micheli-mlp", Depth = 4, Reset = LifReset.SubtractBeforeDecay }), new Generator(1));
        Assert.Equal(LifReset.SubtractBeforeDecay, net.Blocks[1].Neuron!.Dynamics.Reset);
        using var g = new Generator(2);
        NetworkInitializer.Initialize(net, Initializers.Create("kaiming"), preset.InputStatistics(data), g);
        var result = Calibration.Run(net, data.Train(0).First().X, data.Steps, CalibrationTarget.Parse("rate:0.1"));
        Assert.All(result, l => Assert.InRange(l.RateAfter, 0.09, 0.11));
        var e = Assert.Throws<ArgumentException>(() => TrainingPresets.Get("ding-conv").Build(data, new RunConfiguration { Reset = LifReset.ZeroBeforeDecay }));
        Assert.Contains("micheli-mlp, hc-recurrent", e.Message, StringComparison.Ordinal);
    }
}
