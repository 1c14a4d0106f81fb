using SpikeInit.Layers;

namespace SpikeInit.Tests;

public class NetworkTests
{
    private static readonly LifNeuron Lif = new();

    internal static SpikingNetwork Build(NetworkSpec spec, long seed = 7) =>
        SpikingNetwork.Create(spec, new Generator((ulong)seed), ScalarType.Float64);

    [Fact]
    public void Recurrent_layer_follows_the_hand_computed_trajectory_for_each_reset_and_ignores_the_diagonal()
    {
        double[][] x = [[0.5, 0.3], [0.6, 0.9], [0.2, 0.4], [0.9, 0.1], [0.0, 0.8], [0.7, 0.2], [0.3, 0.6], [0.4, 0.5]];
        var cases = new (LifReset Reset, double[][] U, double[][] S)[]
        {
            (LifReset.SubtractNextStep,
             [[0.55, 0.3], [1.145, 1.17], [0.8805, 0.053], [1.74245, 0.1477], [0.618205, 0.53293], [1.3063845, 0.679637], [0.52574605, 0.8116733], [0.923171445, 1.23050597]],
             [[0, 0], [1, 1], [0, 0], [1, 0], [0, 0], [1, 0], [0, 0], [0, 1]]),
            (LifReset.ZeroBeforeDecay,
             [[0.55, 0.3], [1.145, 1.17], [0.85, 0.0], [1.715, 0.1], [0.05, 0.49], [0.795, 0.641], [1.0655, 1.1769], [1.05, 0.1]],
             [[0, 0], [1, 1], [0, 0], [1, 0], [0, 0], [0, 0], [1, 1], [1, 0]]),
            (LifReset.ZeroAfterInput,
             [[0.55, 0.3], [1.145, 1.17], [0.0, 0.0], [0.95, 0.1], [0.905, 0.89], [1.5645, 1.001], [0.0, 0.0], [0.45, 0.5]],
             [[0, 0], [1, 1], [0, 0], [0, 0], [0, 0], [1, 1], [0, 0], [0, 0]]),
        };
        foreach (var (reset, u, s) in cases)
        {
            var neuron = new LifNeuron(new LifParameters(0.9, 1.0, reset));
            using var net = Build(NetworkSpec.Builder(2).Recurrent(2, neuron).WithReadout(Readout.Sequence).Build());
            var block = (RecurrentBlock)net.Blocks[0];
            using (no_grad())
            {
                block.Weight.copy_(eye(2, dtype: ScalarType.Float64));
                block.RecurrentWeight.copy_(T.Rows([[5.0, 0.6], [-0.4, -7.0]]));   // diagonal must be ignored
                block.Bias!.copy_(T.Vec(0.05, 0.0));
            }
            NetworkRun run = net.Run(T.Rows(x).unsqueeze(1), record: Recording.All);
            T.Close(u.SelectMany(r => r).ToArray(), T.Array(run.Layers[0].Membrane!), 1e-12, $"{reset} u");
            T.Close(s.SelectMany(r => r).ToArray(), T.Array(run.Layers[0].Spikes!), 0, $"{reset} s");
        }
    }

    [Fact]
    public void Recurrent_diagonal_receives_no_gradient()
    {
        using var net = Build(NetworkSpec.Builder(3).Recurrent(4, Lif).Build());
        net.Run(randn(6, 2, 3, dtype: ScalarType.Float64, generator: new Generator(1)) * 3).Output.sum().backward();
        var block = (RecurrentBlock)net.Blocks[0];
        Assert.Equal(0.0, block.RecurrentWeight.grad!.diagonal().abs().sum().item<double>());
        Assert.True(block.RecurrentWeight.grad!.abs().sum().item<double>() > 0);
    }

    public static TheoryData<string> Specs() => ["dense", "conv", "recurrent", "cuba", "klambda-bias", "subtract-before-decay", "alif", "learned", "slstm"];

    internal static NetworkSpec SpecNamed(string name) => name switch
    {
        "dense" => Architectures.DeepDense(12, 10, 3, Lif, outputs: 4),
        "conv" => NetworkSpec.Builder(1, 8, 8).Conv(3, 3, Lif, padding: 1).MaxPool(2).Conv(4, 3, Lif).AvgPool(2).Flatten().Dense(5, Lif).Build(),
        "recurrent" => Architectures.ShallowRecurrent(6, 8, 3),
        "cuba" => Architectures.CurrentBased(6, [8, 8], 3),
        "klambda-bias" => NetworkSpec.Builder(6).Dense(8, new KLambdaNeuron()).Dense(3, new KLambdaNeuron()).Build(),
        // ALIF (fast τ_a so that the trace matters within 9 steps) in a recurrent and a dense layer, minus- and pre-reset
        "alif" => NetworkSpec.Builder(6).Recurrent(8, new AlifNeuron(new AlifParameters(0.9, 1.0, 1.8, 3)))
                             .Dense(3, new AlifNeuron(new AlifParameters(0.8, 0.7, 0.5, 2, LifReset.ZeroBeforeDecay))).Build(),
        // per-neuron learned leak and threshold: recurrent LIF, dense ALIF (then a fixed leaky readout)
        "learned" => NetworkSpec.Builder(6).Recurrent(8, new LifNeuron(new LifParameters(0.9, 1.0, learn: true)))
                                .Dense(5, new AlifNeuron(new AlifParameters(0.7, 0.8, 1.0, 3, learn: true)))
                                .DenseReadout(3, new LifNeuron(new LifParameters(0.6, 1.0, LifReset.None))).Build(),
        // two sLSTM layers (the second fed by the first's outputs in {−1, 0, 1}) and a leaky readout
        "slstm" => NetworkSpec.Builder(6).Slstm(5, new SlstmNeuron()).Slstm(4, new SlstmNeuron())
                              .DenseReadout(3, new LifNeuron(new LifParameters(0.6, 1.0, LifReset.None))).Build(),
        _ => Architectures.DeepDense(6, 8, 2, new LifNeuron(new LifParameters(reset: LifReset.SubtractBeforeDecay)), encoder: false),
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void Sequence_run_and_single_steps_agree(string name)
    {
        NetworkSpec spec = SpecNamed(name);
        using var net = Build(spec);
        var g = new Generator(3);
        double scale = name == "cuba" ? 30 : 3;
        Tensor input = name == "cuba"
            ? rand([9, 2, .. spec.InputShape], dtype: ScalarType.Float64, generator: g).lt(0.3).to(ScalarType.Float64)
            : randn([9, 2, .. spec.InputShape], dtype: ScalarType.Float64, generator: g) * scale;
        using var _ = no_grad();
        Tensor sequence = net.Run(input).Sequence;
        NetworkState? state = null;
        for (int t = 0; t < 9; t++)
        {
            (Tensor output, state) = net.Step(input[t], state);
            T.Close(T.Array(sequence[t]), T.Array(output), 1e-9, $"{name} t={t}");
        }
        Assert.True(input.abs().sum().item<double>() > 0);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Surrogate_gradients_equal_finite_differences_of_the_primitive_forward_network(string name)
    {
        // With SmoothForward every spike is the surrogate's primitive, so backward must be the exact gradient.
        NetworkSpec spec = Smooth(SpecNamed(name));
        using var net = Build(spec);
        var g = new Generator(5);
        Tensor input = randn([5, 2, .. spec.InputShape], dtype: ScalarType.Float64, generator: g) * 2;
        Tensor probe = randn([2, .. net.OutputShape], dtype: ScalarType.Float64, generator: g);
        double Loss() => (net.Run(input).Output * probe).sum().item<double>();

        (net.Run(input).Output * probe).sum().backward();
        FiniteDifferences.Check(net.named_parameters(), Loss, n => [0, n / 2, n - 1], 1e-6, name);
    }

    private static NetworkSpec Smooth(NetworkSpec spec)
    {
        static Neuron S(Neuron n) => n.WithSpike(new SpikeOptions(SmoothForward: true));
        return spec with
        {
            Layers = spec.Layers.Select(l => l switch
            {
                EncoderLayer e => e with { Neuron = S(e.Neuron) },
                DenseLayer d => d with { Neuron = S(d.Neuron) },
                RecurrentLayer r => r with { Neuron = S(r.Neuron) },
                ConvLayer c => c with { Neuron = S(c.Neuron) },
                SlstmLayer c => c with { Neuron = S(c.Neuron) },
                _ => l,
            }).ToArray(),
        };
    }

    [Fact]
    public void Ding_conv_network_has_the_paper_shapes_and_default_init()
    {
        using var net = SpikingNetwork.Create(Architectures.DingConvMnist(), new Generator(1));
        Assert.Equal([10L], net.OutputShape);
        var parameters = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "5.weight", "5.bias", "6.weight", "6.bias", "7.weight", "7.bias"],
                     parameters.Keys.Select(k => k.Replace("layers.", "", StringComparison.Ordinal)));
        Assert.Equal([500L, 1568L], parameters["layers.5.weight"].shape);
        double bound = 1 / Math.Sqrt(1568);
        Assert.True(parameters["layers.5.weight"].abs().max().item<float>() <= bound);
        Assert.InRange(parameters["layers.5.weight"].std().item<float>(), 0.95 * bound / Math.Sqrt(3), 1.05 * bound / Math.Sqrt(3));
        using var _ = no_grad();
        Tensor output = net.Run(randn(2, 1, 28, 28), steps: 4).Output;
        Assert.Equal([2L, 10L], output.shape);
        Assert.True(output.le(4).all().item<bool>() && output.ge(0).all().item<bool>());
    }

    [Fact]
    public void Same_seed_gives_identical_networks_and_another_seed_does_not()
    {
        NetworkSpec spec = Architectures.DeepDense(20, 16, 2, Lif);
        using var a = Build(spec, 11);
        using var b = Build(spec, 11);
        using var c = Build(spec, 12);
        Tensor wa = a.parameters().First(), wb = b.parameters().First(), wc = c.parameters().First();
        Assert.True(wa.equal(wb).all().item<bool>());
        Assert.False(wa.equal(wc).all().item<bool>());
    }

    [Fact]
    public void Static_input_is_a_constant_current_and_readouts_reduce_over_time()
    {
        using var net = Build(Architectures.DeepDense(4, 4, 1, Lif, encoder: true) with { Readout = Readout.Sequence });
        Tensor x = randn(3, 4, dtype: ScalarType.Float64, generator: new Generator(2)) * 2;
        using var _ = no_grad();
        Tensor fromStatic = net.Run(x, steps: 6).Output;
        Tensor fromSequence = net.Run(x.unsqueeze(0).expand(6, 3, 4)).Output;
        Assert.True(fromStatic.equal(fromSequence).all().item<bool>());
        Assert.True(SpikingNetwork.Reduce(fromStatic, Readout.SpikeCount).equal(fromStatic.sum(dim: 0)).all().item<bool>());
        Assert.True(SpikingNetwork.Reduce(fromStatic, Readout.MaxOverTime).equal(fromStatic.max(0).values).all().item<bool>());
        Assert.True(SpikingNetwork.Reduce(fromStatic, Readout.LastStep).equal(fromStatic[5]).all().item<bool>());
        T.Close(T.Array(fromStatic.mean([0])), T.Array(SpikingNetwork.Reduce(fromStatic, Readout.MeanOverTime)), 1e-15);
    }

    [Fact]
    public void Bad_inputs_give_clear_errors()
    {
        using var net = Build(Architectures.DeepDense(4, 4, 1, Lif));
        Assert.Contains("does not match", Assert.Throws<ArgumentException>(() => net.Run(zeros(3, 5, dtype: ScalarType.Float64), steps: 2)).Message);
        Assert.Contains("needs the number of steps", Assert.Throws<ArgumentException>(() => net.Run(zeros(3, 4, dtype: ScalarType.Float64))).Message);
        Assert.Contains("steps = 0", Assert.Throws<ArgumentOutOfRangeException>(() => net.Run(zeros(3, 4, dtype: ScalarType.Float64), steps: 0)).Message);
        Assert.Contains("expected", Assert.Throws<ArgumentException>(() => net.Run(zeros(4, dtype: ScalarType.Float64), steps: 2)).Message);
        Assert.Contains("flatten", Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(NetworkSpec.Builder(1, 4, 4).Dense(3, Lif).Build())).Message);
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(NetworkSpec.Builder(1, 2, 2).Conv(2, 5, Lif).Build())).Message);
        Assert.Contains("units = 0", Assert.Throws<ArgumentOutOfRangeException>(() => SpikingNetwork.Create(NetworkSpec.Builder(3).Dense(0, Lif).Build())).Message);
    }
}
