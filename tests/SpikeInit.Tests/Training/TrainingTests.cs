using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Training;
using TorchSharp.Modules;
using Xunit.Abstractions;

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
        // Rossbroich et al.'s shallow setting: 20 → 128 CUBA → max-over-time readout, fluctuation-driven σ_U = 1.
        // Two threads, as on the CI machine, so the floating-point reduction order (and the trajectory) is the same there.
        Runtime.TorchRuntime.Configure(2);
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

public sealed class TrainingUnitTests() : TempFolderTest("spikeinit-trainunit-")
{
    [Fact]
    public void Cross_entropy_and_accuracy_by_hand()
    {
        Tensor logits = tensor(new double[,] { { 1, 2, 0 }, { 0, 0, 3 } });
        Tensor labels = tensor(new long[] { 1, 0 });
        double l0 = -(2 - Math.Log(Math.Exp(1) + Math.Exp(2) + 1)), l1 = -(0 - Math.Log(2 + Math.Exp(3)));
        Assert.Equal((l0 + l1) / 2, Losses.CrossEntropy(logits, labels).item<double>(), 12);
        // label smoothing ε = 0.1: −0.9·log p_y − 0.1·mean_c log p_c
        double lse0 = Math.Log(Math.Exp(1) + Math.Exp(2) + 1), lse1 = Math.Log(2 + Math.Exp(3));
        double s0 = 0.9 * l0 - 0.1 * ((1 + 2 + 0) / 3.0 - lse0), s1 = 0.9 * l1 - 0.1 * ((0 + 0 + 3) / 3.0 - lse1);
        Assert.Equal((s0 + s1) / 2, Losses.CrossEntropy(logits, labels, 0.1).item<double>(), 12);
        Assert.Equal(0.5, Losses.Accuracy(logits, labels));
    }

    [Fact]
    public void Regularizers_by_hand()
    {
        // spikes [T = 2, B = 2, n = 3]: counts per sample and neuron [[2, 0, 1], [1, 1, 1]]
        Tensor s = tensor(new double[] { 1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 1 }).reshape(2, 2, 3);
        // upper bound, θ = 0.5 spikes: population means 1 and 1 → relu(0.5)² = 0.25 each → 0.1·0.25
        Assert.Equal(0.1 * 0.25, new UpperBoundRate(0.1, 0.5).Loss([s], 0, 1).item<double>(), 12);
        // lower bound per neuron, θ = 1.5: relu(1.5 − cnt)² = [0, 2.25, 0.25, 0.25, 0.25, 0.25] → mean 0.5416…
        Assert.Equal(2 * (0 + 2.25 + 0.25 + 0.25 + 0.25 + 0.25) / 6, new LowerBoundRate(2, 1.5).Loss([s], 0, 1).item<double>(), 12);
        // SELT: mean rate 0.5, target 0.01 → λ s(e) (0.49)²; switch 0.5 at e = 40 of 100
        Assert.Equal(0.8 * 0.5 * 0.49 * 0.49, new Selt(0.8).Loss([s], 40, 100).item<double>(), 12);
        Assert.Equal(0, new Selt(0.8).Loss([s], 10, 100).item<float>());
        Assert.Equal([0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1], new[] { 0, 19, 20, 30, 40, 50, 60, 61, 99 }.Select(e => Math.Round(Selt.Switch(e, 100), 4)));
    }

    [Fact]
    public void AdaBelief_two_steps_by_hand()
    {
        var p = new Parameter(tensor(new[] { 1.0 }, ScalarType.Float64));
        var opt = new AdaBeliefOptimizer([p], learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-16);
        double m = 0, s = 0, w = 1;
        foreach (double g in new[] { 0.5, -0.2 })
        {
            p.grad = tensor(new[] { g }, ScalarType.Float64);
            opt.Step();
            int t = (int)opt.Steps;
            m = 0.9 * m + 0.1 * g;
            s = 0.999 * s + 0.001 * (g - m) * (g - m) + 1e-16;
            w -= 0.1 * (m / (1 - Math.Pow(0.9, t))) / (Math.Sqrt(s / (1 - Math.Pow(0.999, t))) + 1e-16);
            Assert.Equal(w, p.item<double>(), 12);
        }
        // first step by hand: m̂ = g = 0.5, ŝ = (g − m₁)² = 0.45², so the step is lr·0.5/0.45
        Assert.Equal(1 - 0.1 * 0.5 / 0.45 + 0.1 * 0, 1 - 0.1 * 0.5 / 0.45, 12);
    }

    [Fact]
    public void Adam_and_sgd_match_their_formulas()
    {
        var p = new Parameter(tensor(new[] { 1.0 }, ScalarType.Float64));
        var adam = new AdamOptimizer([p], 0.01);
        p.grad = tensor(new[] { 2.0 }, ScalarType.Float64);
        adam.Step();
        Assert.Equal(1 - 0.01 * 2 / (2 + 1e-8), p.item<double>(), 12);   // first Adam step moves by lr·sign
        var q = new Parameter(tensor(new[] { 1.0 }, ScalarType.Float64));
        var sgd = new SgdOptimizer([q], 0.1, momentum: 0.9);
        q.grad = tensor(new[] { 1.0 }, ScalarType.Float64);
        sgd.Step();
        sgd.Step();
        Assert.Equal(1 - 0.1 - 0.1 * 1.9, q.item<double>(), 12);
    }

    [Fact]
    public void Surrogate_backward_matches_finite_differences_of_the_smooth_primitive_network()
    {
        // with SmoothForward the spike is the surrogate's primitive, so autograd must equal finite differences of the loss
        var neuron = new LifNeuron(new LifParameters(0.5, 1.0, spike: new SpikeOptions(SmoothForward: true)));
        NetworkSpec spec = NetworkSpec.Builder(6).Dense(5, neuron).Dense(3, neuron).Build();
        using var net = SpikingNetwork.Create(spec, new Generator(3), ScalarType.Float64);
        Tensor x = rand([4, 4, 6], dtype: ScalarType.Float64, generator: new Generator(4)) * 3;
        Tensor y = tensor(new long[] { 0, 2, 1, 2 });
        double Loss() => Losses.CrossEntropy(net.Run(x).Output, y).item<double>();
        Tensor loss = Losses.CrossEntropy(net.Run(x).Output, y);
        loss.backward();
        Parameter w = net.parameters().First();
        double[] grad = T.Array(w.grad!);
        using var noGrad = no_grad();
        for (int k = 0; k < 8; k++)
        {
            double h = 1e-6, orig = w.view(-1)[k].item<double>();
            w.view(-1)[k] = orig + h;
            double up = Loss();
            w.view(-1)[k] = orig - h;
            double down = Loss();
            w.view(-1)[k] = orig;
            Assert.Equal((up - down) / (2 * h), grad[k], 6);
        }
    }

    private static (SpikingNetwork, SpikeTrainingData) Tiny() => TrainingEndToEndTests.Randman(20, 50, seed: 3);

    private static readonly TrainingOptions TinyOptions = new() { Epochs = 3, LearningRate = 2e-2, Optimizer = OptimizerKind.AdaBelief, Regularizers = [new UpperBoundRate(0.1, 4)] };

    [Fact]
    public void Resumed_run_reaches_the_same_numbers()
    {
        var (a, data) = Tiny();
        string full = Path.Combine(dir, "full"), split = Path.Combine(dir, "split");
        TrainingSummary straight = Trainer.Train(a, data, TinyOptions, full);
        // the same run stopped after 1 epoch + 2 batches (cancellation), then resumed
        var (b, data2) = Tiny();
        using var cts = new CancellationTokenSource();
        var stopper = new Stop(cts, epoch: 1, batch: 2);
        TrainingSummary first = Trainer.Train(b, data2, TinyOptions, split, stopper, cts.Token);
        Assert.Equal(TrainingStatus.Cancelled, first.Status);
        TrainingSummary resumed = Trainer.Resume(split, data2);
        Assert.Equal(TrainingStatus.Completed, resumed.Status);
        Assert.Equal(straight.History.Count, resumed.History.Count);
        for (int e = 0; e < straight.History.Count; e++)
        {
            Assert.Equal(straight.History[e].TrainLoss, resumed.History[e].TrainLoss, 6);
            Assert.Equal(straight.History[e].TestAccuracy, resumed.History[e].TestAccuracy);
        }
        Assert.Equal(straight.TestAccuracy, resumed.TestAccuracy);
    }

    private sealed class Stop(CancellationTokenSource cts, int epoch, int batch) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Epoch == epoch && value.Batch == batch) cts.Cancel();
        }
    }

    [Fact]
    public void A_killed_checkpoint_write_leaves_the_previous_checkpoint_loadable()
    {
        var (net, data) = Tiny();
        string run = Path.Combine(dir, "run");
        Trainer.Train(net, data, TinyOptions with { Epochs = 1 }, run);
        string checkpoint = Path.Combine(run, "checkpoint");
        // a write killed before the swap: a half-written temporary folder next to the good checkpoint
        Directory.CreateDirectory(checkpoint + ".tmp-99999");
        File.WriteAllText(Path.Combine(checkpoint + ".tmp-99999", "state.json"), "{ half");
        // a write killed between the two renames: only the previous checkpoint, under .old
        Directory.Move(checkpoint, checkpoint + ".old");
        TrainingSummary resumed = Trainer.Resume(run, data);
        Assert.Equal(TrainingStatus.Completed, resumed.Status);
        Assert.Single(resumed.History);
        Assert.Contains("nothing to resume", Assert.Throws<DirectoryNotFoundException>(() => Trainer.Resume(Path.Combine(dir, "none"), data)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Divergence_stops_with_a_clear_message_and_keeps_the_last_good_checkpoint()
    {
        var (net, data) = Tiny();
        string run = Path.Combine(dir, "nan");
        Trainer.Train(net, data, TinyOptions with { Epochs = 1 }, run);
        using (no_grad()) net.parameters().First().fill_(double.NaN);
        TrainingSummary s = Trainer.Train(net, data, TinyOptions with { Epochs = 1 }, Path.Combine(dir, "nan2"));
        Assert.Equal(TrainingStatus.Diverged, s.Status);
        Assert.Contains("NaN", s.Message!, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "nan2", "checkpoint")));
        Assert.True(File.Exists(Path.Combine(run, "checkpoint", "state.json")));
    }
}
