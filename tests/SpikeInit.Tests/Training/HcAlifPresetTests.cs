using System.Text.Json.Nodes;
using SpikeInit.Data;
using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>
/// Herranz-Celotti's knobs: the <c>hc-alif</c> preset trained one CI-sized epoch with <c>timerepeat</c> 2, the initial-rate
/// pre-training and learned neuron parameters; <see cref="TimeRepeatedData"/> on its own.
/// </summary>
public sealed class HcAlifPresetTests() : TempFolderTest("spikeinit-hc-alif-")
{
    [Fact]
    public void Hc_alif_trains_one_epoch_with_timerepeat_initial_rate_and_learned_neurons()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        TrainingPreset preset = TrainingPresets.Get("hc-alif");
        var config = new RunConfiguration
        {
            Architecture = "hc-alif", Dataset = root, Steps = 3, Batch = 5, LimitTrain = 10, TimeRepeat = 2, TargetInitialRate = 0.2,
            LearnNeuron = true, Options = preset.Options with { Epochs = 1, MaxBatches = 1 },
        };
        RunFolder folder = RunFolder.Create(config, Path.Combine(dir, "run"));
        Assert.Equal(6, (int)folder.Data.Train(0).First().X.shape[0]);   // 3 frames, each shown twice
        TrainingSummary summary = folder.Train();
        Assert.Equal(TrainingStatus.Completed, summary.Status);

        // the pre-training moved both hidden layers toward the target
        InitialRateReport rate = summary.InitialRate!;
        Assert.Equal(2, rate.Before.Count);
        Assert.Equal(5, rate.Parameters);   // bias and learned threshold of the two recurrent layers, and the readout's bias
        for (int l = 0; l < 2; l++)
            Assert.True(Math.Abs(rate.After[l] - 0.2) < Math.Abs(rate.Before[l] - 0.2), $"layer {l}: {rate.Before[l]} -> {rate.After[l]}");
        JsonNode json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "run", "summary.json")))!;
        Assert.Equal(0.2, json["initial_rate"]!["target"]!.GetValue<double>());
        Assert.Equal(2, json["initial_rate"]!["after"]!.AsArray().Count);

        using SpikingNetwork model = ModelStore.Load(Path.Combine(dir, "run", "model"));
        var alif = Assert.IsType<AlifNeuron>(((RecurrentLayer)model.Spec.Layers[0]).Neuron);
        Assert.True(alif.Parameters.Learn);
        Assert.Equal(3.0, alif.Parameters.TauAdaptation);   // T_in/2 with T_in = 6 presented steps
        Assert.Equal(1.8, alif.Parameters.Adaptation);
        Assert.Contains(model.named_parameters(), p => p.name == "layers.1.leak_logit");
    }

    [Fact]
    public void The_initial_rate_phase_needs_something_to_fit()
    {
        var rng = new Random(2);
        ImageSet Set(string name, int count) => new(name, [.. Enumerable.Range(0, count * 784).Select(_ => (byte)rng.Next(256))],
                                                    [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))], count, 28, 28, 10);
        var data = new ImageTrainingData(new ImageDataset(Set("train", 4), Set("test", 2), "random"), 2, 1, ImageEncoding.Latency, 3, Normalization.UnitRange, validationFraction: 0);
        using var net = SpikingNetwork.Create(Architectures.CurrentBased(784, [4], 10));   // no biases, no learned thresholds
        var e = Assert.Throws<ArgumentException>(() => InitialRatePhase.Run(net, data, 0.1));
        Assert.Contains("target-initial-rate", e.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => new RunConfiguration { TargetInitialRate = 1.0 });
        Assert.ThrowsAny<ArgumentException>(() => new RunConfiguration { TimeRepeat = 0 });
    }

    [Fact]
    public void Time_repeat_shows_each_step_n_times_in_a_row_and_multiplies_static_steps()
    {
        var rng = new Random(1);
        ImageSet Set(string name, int count) => new(name, [.. Enumerable.Range(0, count * 784).Select(_ => (byte)rng.Next(256))],
                                                    [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))], count, 28, 28, 10);
        var images = new ImageDataset(Set("train", 8), Set("test", 4), "random");
        var latency = new ImageTrainingData(images, 4, 1, ImageEncoding.Latency, 5, Normalization.UnitRange, validationFraction: 0);
        ITrainingData twice = TimeRepeatedData.Of(latency, 3);
        Tensor x = latency.Train(0).First().X, y = twice.Train(0).First().X;
        Assert.Equal([15L, .. x.shape[1..]], y.shape);
        for (int t = 0; t < 15; t++) Assert.True(y[t].equal(x[t / 3]).all().item<bool>(), $"step {t}");
        var constant = new ImageTrainingData(images, 4, 1, ImageEncoding.Constant, 5, Normalization.UnitRange, validationFraction: 0);
        Assert.Equal(10, TimeRepeatedData.Of(constant, 2).Steps);
        Assert.Same(constant, TimeRepeatedData.Of(constant, 1));
    }
}
