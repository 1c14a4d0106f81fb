using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using SpikeInit.Training;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SpikeInit.Tests;

public sealed class TrainingEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("spikeinit-train-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    internal static (SpikingNetwork Net, SpikeTrainingData Data) Randman(int samplesPerClass, int batch, ulong seed = 1)
    {
        var (train, valid, test) = Data.Randman.Generate(new RandmanParameters { SamplesPerClass = samplesPerClass });
        var data = new SpikeTrainingData(train, valid, test, batch, seed);
        SpikingNetwork net = SpikingNetwork.Create(Architectures.CurrentBased(20, [128], 10));
        using var g = new Generator(seed);
        NetworkInitializer.Initialize(net, new FluctuationDriven(1.0), InputStatistics.Poisson(data.RateHz, data.Dt), g);
        return (net, data);
    }

    [Fact]
    public void Randman_trains_to_90_percent_test_accuracy()
    {
        // Rossbroich et al.'s shallow setting: 20 → 128 CUBA → max-over-time readout, fluctuation-driven σ_U = 1
        var (net, data) = Randman(500, 100);
        var options = new TrainingOptions
        {
            Epochs = 18, LearningRate = 5e-2,
            Regularizers = [new UpperBoundRate(0.1, 4), new LowerBoundRate(100, 1e-3)],
        };
        TrainingSummary s = Trainer.Train(net, data, options, dir);
        output.WriteLine($"test {s.TestAccuracy:P1}, best val {s.BestValidationAccuracy:P1}, iterations to 60 %: {s.IterationsToTarget}, {s.WallSeconds:F1} s");
        foreach (var h in s.History) output.WriteLine($"epoch {h.Epoch}: train {h.TrainAccuracy:P1} val {h.ValidationAccuracy:P1} test {h.TestAccuracy:P1} rate {string.Join(",", h.LayerRates.Select(r => r.ToString("G3")))}");
        Assert.Equal(TrainingStatus.Completed, s.Status);
        Assert.True(s.TestAccuracy >= 0.9, $"test accuracy {s.TestAccuracy}");
        foreach (string f in new[] { "metrics.csv", "summary.json", "learning_curves.png", "model/model.json", "checkpoint/state.json" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
    }
}
