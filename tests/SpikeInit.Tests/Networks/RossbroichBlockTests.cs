using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Probing;
using SpikeInit.Training;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// Rossbroich et al.'s E/I (Dale) block and recurrent 1-D convolution block: golden trajectories, Run vs Step, finite
/// differences, save/load, the fluctuation-driven prediction against a seeded free-membrane simulation, sign constraints.
/// </summary>
public sealed class RossbroichBlockTests(ITestOutputHelper output) : TempFolderTest("spikeinit-rossbroich-")
{
    private static readonly CubaExcInhNeuron ExcInh = new();

    private static NetworkSpec DaleNet(int inputs = 5, int e = 4, int i = 2, bool recurrent = true, Neuron? neuron = null) =>
        NetworkSpec.Builder(inputs).Dale(e, i, neuron ?? ExcInh, recurrent).DenseReadout(3, new CubaLifNeuron(new CubaLifParameters(reset: false)), bias: false)
                   .WithReadout(Readout.Sequence).Build();

    private static NetworkSpec ConvNet(Neuron? neuron = null) =>
        NetworkSpec.Builder(2, 12).RecurrentConv1d(3, 3, neuron ?? new CubaLifNeuron(), stride: 2, padding: 1, recurrentKernel: 3, bias: true)
                   .RecurrentConv1d(2, 3, neuron ?? new CubaLifNeuron()).Flatten()
                   .DenseReadout(3, new CubaLifNeuron(new CubaLifParameters(reset: false)), bias: false).WithReadout(Readout.Sequence).Build();

    [Fact]
    public void Dale_block_follows_the_scalar_reference_trajectory_with_inhibition_and_recurrent_excitation()
    {
        // 1 input, 1 E, 1 I; weights: in→E a, in→I b, E→E e, E→I f, I→E c, I→I d (all ≥ 0)
        double a = 3.0, b = 2.5, e = 0.8, f = 1.5, c = 2.0, d = 0.3;
        double[] x = [1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1];
        using var net = NetworkTests.Build(NetworkSpec.Builder(1).Dale(1, 1, ExcInh).Build());
        var block = (DaleBlock)net.Blocks[0];
        using (no_grad())
        {
            block.Weight.copy_(T.Rows([[a], [b]]));
            block.RecurrentWeight!.copy_(T.Rows([[e], [f]]));
            block.InhibitoryWeight.copy_(T.Rows([[c], [d]]));
        }
        NetworkRun run = net.Run(T.Vec(x).view(-1, 1, 1), record: Recording.All);
        // the reference: docs/THEORY.md §F2.3 per neuron, inputs of step t act through the buffer X
        CubaExcInhParameters p = ExcInh.Parameters;
        double lm = Math.Exp(-p.Dt / p.TauMem), le = Math.Exp(-p.Dt / p.TauExc), li = Math.Exp(-p.Dt / p.TauInh);
        double[] u = new double[2], ie = new double[2], ii = new double[2], xe = new double[2], xi = new double[2], s = new double[2];
        var membranes = new List<double>();
        var spikes = new List<double>();
        foreach (double input in x)
        {
            double[] exc = [a * input + e * s[0], b * input + f * s[0]], inh = [c * s[1], d * s[1]];
            for (int n = 0; n < 2; n++)
            {
                double spike = u[n] > p.Theta ? 1 : 0;
                double nextU = (lm * u[n] + (1 - lm) * (ie[n] - ii[n])) * (1 - spike);
                ie[n] = le * ie[n] + xe[n];
                ii[n] = li * ii[n] + xi[n];
                xe[n] = exc[n];
                xi[n] = inh[n];
                u[n] = nextU;
                s[n] = spike;
            }
            membranes.AddRange(u);
            spikes.AddRange(s);
        }
        T.Close([.. membranes], T.Array(run.Layers[0].Membrane!), 1e-12, "u");
        T.Close([.. spikes], T.Array(run.Layers[0].Spikes!), 0, "s");
        Assert.True(spikes.Where((_, k) => k % 2 == 0).Sum() >= 2 && spikes.Where((_, k) => k % 2 == 1).Sum() >= 2, "both populations spike");
        T.Close([.. spikes.Where((_, k) => k % 2 == 0)], T.Array(run.Sequence), 0, "the block passes on E only");
        // hand-checked start: the input of step 0 enters X, then I, then U: the membrane recorded at step 2 (U[3]) is (1 − λ_m)·a
        Assert.Equal(0, membranes[2]);
        Assert.Equal((1 - lm) * a, membranes[4], 12);
    }

    [Fact]
    public void Recurrent_conv_block_adds_the_same_length_recurrent_convolution_of_its_previous_spikes()
    {
        using var net = NetworkTests.Build(NetworkSpec.Builder(1, 6).RecurrentConv1d(2, 3, new CubaLifNeuron(), padding: 1, recurrentKernel: 3).Build());
        var block = (RecurrentConv1dBlock)net.Blocks[0];
        Tensor w = randn([2, 1, 3], dtype: ScalarType.Float64, generator: new Generator(2)).abs() * 40;
        Tensor wr = randn([2, 2, 3], dtype: ScalarType.Float64, generator: new Generator(3)) * 20;
        using (no_grad())
        {
            block.Weight.copy_(w);
            block.RecurrentWeight.copy_(wr);
        }
        Tensor x = rand([25, 1, 1, 6], dtype: ScalarType.Float64, generator: new Generator(4)).lt(0.4).to(ScalarType.Float64);
        NetworkRun run = net.Run(x, record: Recording.All);
        // reference: the CUBA kernel stepped by hand with I_t = conv(x_t, W) + conv(s_{t−1}, W_rec)
        var neuron = new CubaLifNeuron();
        NeuronState state = neuron.InitialState([1, 2, 6], ScalarType.Float64, CPU);
        var expected = new List<double>();
        for (int t = 0; t < 25; t++)
        {
            Tensor current = nn.functional.conv1d(x[t], w, padding: 1) + nn.functional.conv1d(state.Spikes, wr, padding: 1);
            (_, state) = neuron.Step(current, state);
            expected.AddRange(T.Array(state.Membrane));
        }
        T.Close([.. expected], T.Array(run.Layers[0].Membrane!), 1e-12, "u");
        Assert.True(run.Layers[0].Spikes!.sum().item<double>() >= 5, "the layer spikes, so the recurrence acts");
        Assert.Equal([2L, 6L], net.OutputShape);
    }

    public static TheoryData<string> Nets() => ["dale", "dale-feed-forward", "conv"];

    private static NetworkSpec Named(string name, Neuron? excInh = null, Neuron? cuba = null) => name switch
    {
        "dale" => DaleNet(neuron: excInh),
        "dale-feed-forward" => DaleNet(recurrent: false, neuron: excInh),
        _ => ConvNet(cuba),
    };

    private static Tensor Input(NetworkSpec spec, int steps, ulong seed) =>
        rand([steps, 2, .. spec.InputShape], dtype: ScalarType.Float64, generator: new Generator(seed)).lt(0.3).to(ScalarType.Float64);

    [Theory]
    [MemberData(nameof(Nets))]
    public void Run_and_single_steps_agree(string name)
    {
        NetworkSpec spec = Named(name);
        using var net = NetworkTests.Build(spec);
        ScaleUp(net, 6);
        Tensor input = Input(spec, 20, 3);
        using var _ = no_grad();
        NetworkRun run = net.Run(input, record: Recording.Spikes);
        Assert.True(run.Layers[0].Spikes!.sum().item<double>() > 0, "hidden spikes");
        NetworkState? state = null;
        for (int t = 0; t < 20; t++)
        {
            (Tensor output, state) = net.Step(input[t], state);
            T.Close(T.Array(run.Sequence[t]), T.Array(output), 1e-9, $"{name} t={t}");
        }
    }

    [Theory]
    [MemberData(nameof(Nets))]
    public void Surrogate_gradients_equal_finite_differences_of_the_smooth_forward_network(string name)
    {
        var smooth = new SpikeOptions(SmoothForward: true);
        NetworkSpec spec = Named(name, ExcInh.WithSpike(smooth), new CubaLifNeuron().WithSpike(smooth));
        using var net = NetworkTests.Build(spec);
        ScaleUp(net, 6);
        Tensor input = Input(spec, 20, 5);
        Tensor probe = randn([20, 2, .. net.OutputShape], dtype: ScalarType.Float64, generator: new Generator(6));
        double Loss() => (net.Run(input).Output * probe).sum().item<double>();
        (net.Run(input).Output * probe).sum().backward();
        // per parameter tensor, the directional derivative along a random direction v: (L(p + hv) − L(p − hv))/2h = ∇L·v
        var g = new Generator(7);
        foreach (var (pname, p) in net.named_parameters())
        {
            Tensor v = randn(p.shape, dtype: ScalarType.Float64, generator: g);
            double analytic = (p.grad! * v).sum().item<double>();
            Tensor original = p.detach().clone();
            const double h = 1e-6;
            using (no_grad()) p.copy_(original + v * h);
            double up = Loss();
            using (no_grad()) p.copy_(original - v * h);
            double down = Loss();
            using (no_grad()) p.copy_(original);
            double numeric = (up - down) / (2 * h);
            Assert.True(Math.Abs(analytic) > 1e-8, $"{name} {pname}: the gradient is not zero");
            Assert.True(Math.Abs(numeric - analytic) <= 1e-6 * Math.Max(1, Math.Abs(numeric)), $"{name} {pname}: autograd {analytic} vs finite difference {numeric}");
        }
    }

    [Theory]
    [MemberData(nameof(Nets))]
    public void Save_and_load_give_the_same_network(string name)
    {
        NetworkSpec spec = Named(name);
        using var net = NetworkTests.Build(spec);
        NetworkInitializer.Initialize(net, new FluctuationDriven(), InputStatistics.Poisson(15.8, 2e-3), new Generator(8));
        string folder = Path.Combine(dir, name);
        ModelStore.Save(net, folder);
        Assert.Contains(name == "conv" ? "\"recurrent-conv1d\"" : "\"dale\"", File.ReadAllText(Directory.GetFiles(folder, "*.json").First()), StringComparison.Ordinal);
        using SpikingNetwork loaded = ModelStore.Load(folder);
        Assert.Equal(ModelStore.ToJson(net.Spec), ModelStore.ToJson(loaded.Spec));
        Tensor input = Input(spec, 15, 9);
        using var _ = no_grad();
        T.Close(T.Array(net.Run(input).Sequence), T.Array(loaded.Run(input).Sequence), 0, name);
    }

    /// <summary>Free-membrane simulation: every afferent an independent Bernoulli train with p = ν·dt, neurons that never fire.</summary>
    private static Tensor Bernoulli(long[] shape, double p, Generator g) => rand(shape, dtype: ScalarType.Float64, generator: g).lt(p).to(ScalarType.Float64);

    [Fact]
    public void Dale_prediction_matches_a_seeded_free_membrane_simulation()
    {
        const double nu = 15.8, dt = 2e-3;
        const int inputs = 300, e = 128, i = 32, steps = 700, batch = 6, warm = 100;
        using var net = NetworkTests.Build(DaleNet(inputs, e, i));
        var records = NetworkInitializer.Initialize(net, new FluctuationDriven(), InputStatistics.Poisson(nu, dt), new Generator(11));
        Prediction theory = records[0].Theory!;
        Assert.Equal(0, theory.MembraneMean!.Value, 9);
        Assert.Equal(1, theory.MembraneStd!.Value, 9);
        var block = (DaleBlock)net.Blocks[0];
        Assert.True(block.Weight.min().item<double>() >= 0 && block.RecurrentWeight!.min().item<double>() >= 0 && block.InhibitoryWeight.min().item<double>() >= 0);
        // spec §12.5-style check of the drawn means: E[w] = 1/λ for each kind of afferent (relative sd of the sample mean ≤ 1/√4096)
        double lambdaFf = 1 / block.Weight.mean().item<double>();
        Assert.Contains("lambda_ff", theory.Notes[0], StringComparison.Ordinal);
        T.Relative(1 / theory.WeightMean, lambdaFf, 0.02, "lambda_ff");
        var g = new Generator(12);
        Tensor x = Bernoulli([steps, batch, inputs], nu * dt, g), se = Bernoulli([steps, batch, e], nu * dt, g), si = Bernoulli([steps, batch, i], nu * dt, g);
        using var _ = no_grad();
        Tensor exc = nn.functional.linear(x, block.Weight) + nn.functional.linear(se, block.RecurrentWeight!);
        Tensor inh = nn.functional.linear(si, block.InhibitoryWeight);
        var free = new CubaExcInhNeuron(ExcInh.Parameters with { Theta = 1e9 });
        Tensor u = free.Sequence(cat([exc, inh], 2), membrane: true).Membrane![warm..];
        double meanU = u.mean().item<double>();
        double temporalVariance = u.var([0, 1]).mean().item<double>();   // per neuron over time and samples, averaged over neurons
        // σ_U within 10 % (Bernoulli input has variance p(1 − p), 3 % below Poisson's p), μ_U within 0.2 (sd of the neuron average ≈ 0.06)
        output.WriteLine($"Dale: predicted mu_U 0, sigma_U 1; simulated mean {meanU:G4}, sigma {Math.Sqrt(temporalVariance):G4}");
        Assert.InRange(Math.Sqrt(temporalVariance), 0.9, 1.1);
        Assert.InRange(meanU, -0.2, 0.2);
        // and each neuron's mean is Campbell's for its own weights: ν(ε̄_e Σ w_exc − ε̄_i Σ w_inh)
        double epsE = ExcInh.KernelIntegrals().Mean, epsI = ExcInh.InhibitoryKernelIntegrals().Mean;
        Tensor own = (block.Weight.sum(1) + block.RecurrentWeight!.sum(1)).Times(nu * epsE) - block.InhibitoryWeight.sum(1).Times(nu * epsI);
        // the time average of 3000 correlated steps has sd ≈ 0.1 per neuron: RMS over neurons ≈ 0.1, the largest of 160 ≈ 0.3
        Tensor error = u.mean([0, 1]) - own;
        double rms = error.square().mean().sqrt().item<double>(), largest = error.abs().max().item<double>();
        output.WriteLine($"Dale per-neuron mean error: RMS {rms:G3}, largest {largest:G3}");
        Assert.True(rms < 0.15 && largest < 0.4, $"per-neuron mean error: RMS {rms}, largest {largest}");
    }

    [Fact]
    public void Recurrent_conv_prediction_matches_a_seeded_free_membrane_simulation_with_the_conv_fan_ins()
    {
        const double nu = 15.8, dt = 2e-3;
        const int steps = 600, batch = 4, warm = 100;
        var neuron = new CubaLifNeuron();
        using var net = NetworkTests.Build(NetworkSpec.Builder(4, 64).RecurrentConv1d(16, 7, neuron).Build());
        var records = NetworkInitializer.Initialize(net, new FluctuationDriven(), InputStatistics.Poisson(nu, dt), new Generator(21));
        InitContext context = records[0].Context!;
        Assert.Equal((4 * 7, 16 * 5, ConnectionKind.RecurrentConvolution), (context.FanIn, context.RecurrentFanIn, context.Kind));
        Prediction theory = records[0].Theory!;
        Assert.Equal(1, theory.MembraneStd!.Value, 9);
        // the recurrent split of docs/THEORY.md §F5 with α = 0.9: σ_W² = α σ_U²/(n_ff ν ε̂), (1 − α) σ_U²/(n_rec ν ε̂)
        double epsHat = neuron.KernelIntegrals().Square;
        T.Relative(Math.Sqrt(0.9 / (28 * nu * epsHat)), theory.WeightStd, 1e-9, "sigma_w ff");
        T.Relative(Math.Sqrt(0.1 / (80 * nu * epsHat)), theory.RecurrentWeightStd!.Value, 1e-9, "sigma_w rec");
        // spec §12.4, stork's first CSNN layer (C_in 1, k 21; recurrent 16·5), α = 0.9, ν = 15.8 Hz, dt = 2 ms numerical ε
        Prediction conv1 = new FluctuationDriven().Plan(InitContext.RecurrentConvolution1d(1, 16, 21, 5, neuron, InputStatistics.Poisson(nu, dt))).Theory;
        T.Relative(1.15435, conv1.WeightStd, 1e-5, "spec sigma_w ff");
        T.Relative(0.197142, conv1.RecurrentWeightStd!.Value, 1e-5, "spec sigma_w rec");
        var block = (RecurrentConv1dBlock)net.Blocks[0];
        var g = new Generator(22);
        Tensor x = Bernoulli([steps, batch, 4, 64], nu * dt, g), s = Bernoulli([steps, batch, 16, 58], nu * dt, g);
        using var _ = no_grad();
        Tensor current = nn.functional.conv1d(x.flatten(0, 1), block.Weight).unflatten(0, [steps, batch])
                         + nn.functional.conv1d(s.flatten(0, 1), block.RecurrentWeight, padding: 2).unflatten(0, [steps, batch]);
        var free = new CubaLifNeuron(neuron.Parameters with { Theta = 1e9 });
        Tensor u = free.Sequence(current, membrane: true).Membrane![warm.., .., .., 2..^2];   // interior: every recurrent tap sees a neuron
        double variance = u.var([0, 1, 3]).mean().item<double>();
        output.WriteLine($"recurrent conv: predicted sigma_U 1; simulated sigma {Math.Sqrt(variance):G4}");
        Assert.InRange(Math.Sqrt(variance), 0.88, 1.12);   // 16 channels share their weights: the realized Σw² varies ≈ 5 % per channel
        double epsBar = neuron.KernelIntegrals().Mean;
        Tensor own = (block.Weight.sum([1, 2]) + block.RecurrentWeight.sum([1, 2])).Times(nu * epsBar);
        double error = (u.mean([0, 1, 3]) - own).abs().max().item<double>();
        output.WriteLine($"recurrent conv largest per-channel mean error {error:G3}");
        Assert.True(error < 0.1, $"largest per-channel mean error {error}");
    }

    [Fact]
    public void Dale_weights_stay_non_negative_through_training_and_the_presets_train_one_epoch_on_an_shd_file()
    {
        string train = DatasetSourceTests.WriteShdSamples(Path.Combine(dir, "shd_train.h5"), 24, 0);
        DatasetSourceTests.WriteShdSamples(Path.Combine(dir, "shd_test.h5"), 6, 100);
        foreach (string arch in (string[])["rossbroich-dale", "rossbroich-csnn"])
        {
            string run = Path.Combine(dir, arch);
            var config = new RunConfiguration
            {
                Architecture = arch, Dataset = train, Batch = 8, Seed = 3, Depth = arch == "rossbroich-csnn" ? 1 : null,
                Options = TrainingPresets.Get(arch).Options with { Epochs = 1, MaxBatches = 2, LearningRate = 0.2 },
            };
            TrainingSummary summary = RunFolder.Create(config, run).Train();
            Assert.Equal(TrainingStatus.Completed, summary.Status);
            Assert.Single(summary.History);
            using SpikingNetwork trained = ModelStore.Load(Path.Combine(run, "model"));
            if (trained.Blocks[0] is DaleBlock dale)
            {
                foreach (Tensor w in (Tensor[])[dale.Weight, dale.RecurrentWeight!, dale.InhibitoryWeight])
                    Assert.True(w.min().item<float>() >= 0, "Dale's law: every magnitude stays >= 0");
                // the clamp acted: a large step pushed some feed-forward magnitudes (mean 1/λ_ff ≈ 0.03) below 0
                Assert.True(dale.Weight.eq(zeros(1)).sum().item<long>() > 0, "some weights were clamped at 0");
            }
            else Assert.IsType<RecurrentConv1dBlock>(trained.Blocks[0]);
        }
    }

    [Fact]
    public void The_probe_builds_dale_layers_for_exc_inh_neurons_under_fluctuation_and_measures_them()
    {
        var c = new ProbeConfiguration { Method = "fluctuation", Neuron = "cuba-exc-inh", Input = ProbeInput.Poisson, Width = 64, Depth = 2, Steps = 120, Repeats = 1, Batch = 4 };
        Assert.All(c.Network().Layers, l => Assert.Equal(new DaleLayer(64, 16, l is DaleLayer d ? d.Neuron : ExcInh, Recurrent: false), l));
        Assert.All((c with { Method = "kaiming" }).Network().Layers, l => Assert.IsType<DenseLayer>(l));   // other methods keep dense E/I layers
        ProbeResult r = Probe.Run(c, 4);
        Assert.Equal(0, r.CollapsedRepeats);
        var first = r.Rows.Where(row => row.Layer == 1 && row.Time >= 60).ToList();
        Assert.NotEmpty(first);
        Assert.True(first.Average(row => row.FiringRate) > 0, "the first E/I layer fires");
        output.WriteLine($"probe: layer 1 membrane var {first.Average(row => row.MembraneVar):G4} (theory {first[0].TheoryMembraneVar:G4}), rate {first.Average(row => row.FiringRate):G4}");
    }

    [Fact]
    public void Hostile_layer_specifications_and_initializers_are_one_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(DaleNet(neuron: new CubaLifNeuron())));
        Assert.Contains("cuba-exc-inh", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(NetworkSpec.Builder(8).RecurrentConv1d(2, 3, new CubaLifNeuron(), recurrentKernel: 4).Build()));
        Assert.Contains("recurrent_kernel = 4", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(NetworkSpec.Builder(2, 3, 4).RecurrentConv1d(2, 3, new CubaLifNeuron()).Build()));
        Assert.Contains("[L] or [C, L]", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(NetworkSpec.Builder(2).RecurrentConv1d(2, 3, new CubaLifNeuron()).Build()));
        Assert.Contains("does not fit", e.Message, StringComparison.Ordinal);
        using var net = NetworkTests.Build(DaleNet());
        e = Assert.Throws<ArgumentException>(() => NetworkInitializer.Initialize(net, new Kaiming(), InputStatistics.Poisson(15.8, 2e-3)));
        Assert.Contains("initialized by fluctuation", e.Message, StringComparison.Ordinal);
        e = Assert.ThrowsAny<ArgumentException>(() => Architectures.RecurrentConvolutional(700, 4, 20));
        Assert.Contains("depth", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => NetworkSize.Require(DaleNet(1_000_000, 1_000_000, 1000), 0, 0, "the network"));
    }

    /// <summary>Multiplies every weight so that small random test networks spike.</summary>
    private static void ScaleUp(SpikingNetwork net, double factor)
    {
        using var _ = no_grad();
        foreach (var p in net.parameters()) p.TimesInPlace(factor);
    }
}
