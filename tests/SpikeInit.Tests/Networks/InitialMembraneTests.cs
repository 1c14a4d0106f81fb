using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Training;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// Starting membranes from the predicted stationary distribution (<see cref="InitialMembraneMode.Stationary"/>, Kook et
/// al.'s MP-Init): the transient it removes, Run/Step and fused/step parity, save/load, seeded determinism.
/// </summary>
public sealed class InitialMembraneTests(ITestOutputHelper output)
{
    private static SpikingNetwork Deep(LifReset reset, InitialMembraneMode mode, out IReadOnlyList<LayerInitialization> records, double beta = 0.9)
    {
        var neuron = new LifNeuron(new LifParameters(beta, 1.0, reset));
        SpikingNetwork net = SpikingNetwork.Create(Architectures.DeepDense(300, 300, 10, neuron), new Generator(5));
        using var g = new Generator(6);
        records = NetworkInitializer.Initialize(net, Initializers.Create("micheli"), InputStatistics.Gaussian(), g, initialMembrane: mode);
        return net;
    }

    /// <summary>Firing probability per layer at each step, [layers][T], of a constant N(0, 1) input over T steps.</summary>
    private static double[][] Rates(SpikingNetwork net, int steps, int batch = 16)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        NetworkRun run = net.Run(randn([batch, 300], generator: new Generator(7)), steps, Recording.Spikes);
        return [.. run.Layers.Select(l => l.Spikes!.to(ScalarType.Float64).mean([1, 2]).data<double>().ToArray())];
    }

    [Theory]
    [InlineData(LifReset.SubtractNextStep)]
    [InlineData(LifReset.SubtractBeforeDecay)]
    public void Stationary_start_fires_at_t0_as_the_network_settles_while_rest_is_far_off(LifReset reset)
    {
        // 10 × 300 LIF (β = 0.9, θ = 1) behind a 300-neuron encoder, micheli, constant N(0, 1) input, 16 samples, T = 101:
        // per layer the rate at t = 0 against the mean over steps 50–100 (16 × 300 × 51 ≈ 2.4·10⁵ neuron-steps per layer).
        foreach (InitialMembraneMode mode in new[] { InitialMembraneMode.Rest, InitialMembraneMode.Stationary })
        {
            using SpikingNetwork net = Deep(reset, mode, out var records);
            double[][] r = Rates(net, 101);
            for (int l = 0; l < r.Length; l++)
            {
                double settled = r[l][50..101].Average(), ratio = r[l][0] / settled;
                output.WriteLine($"{reset} {mode} layer {l}: t0 {r[l][0]:F4} t1 {r[l][1]:F4} t5 {r[l][5]:F4} settled {settled:F4} ratio {ratio:F3}  {records[l].InitialMembraneNote}");
                if (mode == InitialMembraneMode.Stationary)
                {
                    Assert.InRange(ratio, 0.75, 1.25);
                    Assert.NotNull(records[l].InitialMembrane);
                }
                else
                {
                    Assert.InRange(ratio, 0, 0.6);   // from rest the first step fires at about half the settled rate or less
                    Assert.Null(records[l].InitialMembrane);
                }
            }
            Assert.Equal(mode == InitialMembraneMode.Stationary, net.Spec.InitialMembrane is not null);
        }
    }

    private static SpikingNetwork Small(out Tensor x, LifReset reset = LifReset.SubtractNextStep, bool recurrent = false)
    {
        var neuron = new LifNeuron(new LifParameters(0.9, 1.0, reset));
        NetworkSpec spec = recurrent
            ? NetworkSpec.Builder(20).Encoder(neuron).Recurrent(30, neuron).Dense(5, neuron).Build()
            : Architectures.DeepDense(20, 30, 2, neuron);
        SpikingNetwork net = SpikingNetwork.Create(spec, new Generator(11));
        using var g = new Generator(12);
        NetworkInitializer.Initialize(net, Initializers.Create(recurrent ? "stationary" : "micheli"), InputStatistics.Gaussian(), g,
                                      initialMembrane: InitialMembraneMode.Stationary);
        x = randn([4, 20], generator: new Generator(13));
        return net;
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.equal(b).all().item<bool>();

    [Theory]
    [InlineData(LifReset.SubtractNextStep, false)]
    [InlineData(LifReset.SubtractBeforeDecay, false)]
    [InlineData(LifReset.ZeroBeforeDecay, false)]
    [InlineData(LifReset.ZeroAfterInput, false)]
    [InlineData(LifReset.SubtractNextStep, true)]
    public void Run_and_step_start_from_the_same_draw_bit_for_bit(LifReset reset, bool recurrent)
    {
        using SpikingNetwork net = Small(out Tensor x, reset, recurrent);
        Assert.Equal(net.Blocks.Count, net.Spec.InitialMembrane!.Layers.Count);
        using var noGrad = no_grad();
        NetworkRun run = net.Run(x, 12, Recording.All);
        NetworkState? previous = null;
        for (int t = 0; t < 12; t++)
        {
            NetworkState state = net.Step(x, previous).State;
            previous = state;
            for (int l = 0; l < run.Layers.Count; l++)
            {
                Assert.True(Same(run.Layers[l].Spikes![t], state.Blocks[run.Layers[l].Index]!.Spikes), $"spikes, layer {l}, t = {t}");
                Assert.True(Same(run.Layers[l].Membrane![t], state.Blocks[run.Layers[l].Index]!.Membrane), $"membrane, layer {l}, t = {t}");
            }
        }
        // a given generator: Run and Step draw alike too
        NetworkRun given = net.Run(x, 1, Recording.All, new Generator(99));
        (_, NetworkState first) = net.Step(x, null, new Generator(99));
        Assert.True(Same(given.Layers[^1].Membrane![0], first.Blocks[^1]!.Membrane));
    }

    [Theory]
    [InlineData(LifReset.SubtractNextStep)]
    [InlineData(LifReset.SubtractBeforeDecay)]
    [InlineData(LifReset.ZeroBeforeDecay)]
    [InlineData(LifReset.ZeroAfterInput)]
    public void The_fused_sequence_and_the_step_loop_agree_from_a_given_state(LifReset reset)
    {
        var neuron = new LifNeuron(new LifParameters(0.8, 1.0, reset));
        Tensor x = randn([9, 3, 37], generator: new Generator(3)).Times(0.8).requires_grad_();
        // from a zero membrane (no spikes) the step loop is the rest start, which the fused kernel runs: same values
        NeuronState zero = neuron.StateWithMembrane(zeros([3, 37]));
        var (fs, fu) = neuron.Sequence(x, membrane: true);
        var (ss, su) = neuron.Sequence(x, membrane: true, initial: zero);
        Assert.True(Same(fs, ss) && Same(fu!, su!));
        // from a drawn membrane (some above θ, so some resets at step 0) Sequence is the step loop, gradients included
        NeuronState drawn = neuron.StateWithMembrane(new MembraneDistribution(0.2, 1.5).Draw([3, 37], ScalarType.Float32, CPU, new Generator(4)));
        Assert.True(drawn.Spikes.sum().item<float>() > 0);
        var (a, au) = neuron.Sequence(x, membrane: true, initial: drawn);
        var (b, bu) = SpikeInit.Neurons.Neuron.Steps(neuron, x, membrane: true, initial: drawn);
        Assert.True(Same(a, b) && Same(au!, bu!));
        Assert.False(Same(au!, su!));
        Tensor ga = autograd.grad([au!.sum()], [x])[0];
        Tensor gb = autograd.grad([bu!.sum()], [x])[0];
        Assert.True(Same(ga, gb));
    }

    [Fact]
    public void Draws_are_seeded_and_deterministic()
    {
        using SpikingNetwork net = Small(out Tensor x);
        using var noGrad = no_grad();
        Tensor Membrane(Generator? g) => net.Run(x, 3, Recording.Membranes, g).Layers[1].Membrane!;
        Assert.True(Same(Membrane(null), Membrane(null)));                       // no generator: the spec's seed every run
        Assert.True(Same(Membrane(new Generator(5)), Membrane(new Generator(5))));
        Assert.False(Same(Membrane(new Generator(5)), Membrane(new Generator(6))));
        // the same initialization seed gives the same network start
        using SpikingNetwork again = Small(out _);
        Assert.Equal(net.Spec.InitialMembrane!.Seed, again.Spec.InitialMembrane!.Seed);
        Assert.True(Same(Membrane(null), again.Run(x, 3, Recording.Membranes).Layers[1].Membrane!));
        // rest is a different start
        SpikingNetwork rest = Small(out _);
        rest.UseInitialMembrane(null);
        Assert.False(Same(Membrane(null), rest.Run(x, 3, Recording.Membranes).Layers[1].Membrane!));
        // the draw's moments are the distribution's: 10⁶ draws, mean and σ within 1 %
        Tensor u = new MembraneDistribution(-3, 10).Draw([1000, 1000], ScalarType.Float64, CPU, new Generator(8));
        Assert.InRange(u.mean().item<double>(), -3.1, -2.9);
        Assert.InRange(u.std().item<double>(), 9.9, 10.1);
    }

    [Fact]
    public void Model_json_round_trips_the_start_and_rest_writes_nothing()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"spikeinit-mpinit-{Guid.NewGuid():N}");
        try
        {
            using SpikingNetwork net = Small(out Tensor x);
            ModelStore.Save(net, dir);
            string json = File.ReadAllText(Path.Combine(dir, "model.json"));
            Assert.Contains("\"initial_membrane\"", json, StringComparison.Ordinal);
            using SpikingNetwork loaded = ModelStore.Load(dir);
            Assert.Equal(ModelStore.ToJson(net.Spec), ModelStore.ToJson(loaded.Spec));
            using var noGrad = no_grad();
            Assert.True(Same(net.Run(x, 6).Output, loaded.Run(x, 6).Output));
            net.UseInitialMembrane(null);
            Assert.DoesNotContain("initial_membrane", ModelStore.ToJson(net.Spec), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Unsupported_layers_start_from_rest_with_a_note_and_bad_starts_are_refused()
    {
        NetworkSpec spec = Architectures.CurrentBased(20, [30], 4);
        using SpikingNetwork net = SpikingNetwork.Create(spec, new Generator(1));
        using var g = new Generator(2);
        IReadOnlyList<LayerInitialization> records = NetworkInitializer.Initialize(net, Initializers.Create("fluctuation"), InputStatistics.Poisson(20, 1e-3), g,
                                                                                  initialMembrane: InitialMembraneMode.Stationary);
        Assert.All(records.Where(r => r.Context is not null), r =>
        {
            Assert.Null(r.InitialMembrane);
            Assert.Contains("starts from rest", r.InitialMembraneNote, StringComparison.Ordinal);
        });
        Assert.False(net.Spec.InitialMembrane!.Any);
        var bad = new InitialMembrane([.. net.Blocks.Select(_ => (MembraneDistribution?)new MembraneDistribution(0, 1))]);
        Assert.Contains("initial_membrane: layer", Assert.Throws<ArgumentException>(() => net.UseInitialMembrane(bad)).Message, StringComparison.Ordinal);
        Assert.Contains("entries", Assert.Throws<ArgumentException>(() => net.UseInitialMembrane(new InitialMembrane([null]))).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => new MembraneDistribution(0, -1));
        // the default leaves the network at rest
        using SpikingNetwork plain = SpikingNetwork.Create(spec, new Generator(1));
        NetworkInitializer.Initialize(plain, Initializers.Create("fluctuation"), InputStatistics.Poisson(20, 1e-3), new Generator(2));
        Assert.Null(plain.Spec.InitialMembrane);
    }

    [Fact]
    public void Run_options_parse_the_start()
    {
        Assert.Equal(InitialMembraneMode.Rest, RunOptions.Configuration(new Settings(), 1, null).InitialMembrane);
        Assert.Equal(InitialMembraneMode.Stationary,
                     RunOptions.Configuration(new Settings([new("initial-membrane", "stationary")]), 1, null).InitialMembrane);
        Assert.Contains("initial-membrane", Assert.ThrowsAny<ArgumentException>(() =>
            RunOptions.Configuration(new Settings([new("initial-membrane", "warm")]), 1, null)).Message, StringComparison.Ordinal);
    }
}
