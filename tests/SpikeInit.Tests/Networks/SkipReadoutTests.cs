using SpikeInit.Initialization;
using SpikeInit.Layers;

namespace SpikeInit.Tests;

/// <summary>Skip connections from every hidden layer to the readout (Rossbroich et al.): <see cref="NetworkSpec.SkipReadout"/>.</summary>
public sealed class SkipReadoutTests() : TempFolderTest("spikeinit-skip-")
{
    private static readonly LifNeuron Lif = new(new LifParameters(0.8, 0.5));

    // encoder (not a source) → conv 2×4×4 → pool → flatten → dense 5 → dense 3 (readout, fan-in 2·4·4 + 5 = 37)
    private static NetworkSpec Spec(bool smooth = false)
    {
        Neuron n = smooth ? Lif.WithSpike(new SpikeOptions(SmoothForward: true)) : Lif;
        return NetworkSpec.Builder(1, 4, 4).Encoder(n).Conv(2, 3, n, padding: 1).MaxPool(2).Flatten().Dense(5, n).Dense(3, n).Build() with { SkipReadout = true };
    }

    private static Tensor Input() => randn([5, 3, 1, 4, 4], dtype: ScalarType.Float64, generator: new Generator(3)).Times(2);

    [Fact]
    public void The_readout_current_is_the_sum_of_one_linear_map_per_hidden_layer()
    {
        using var net = SpikingNetwork.Create(Spec(), new Generator(1), ScalarType.Float64);
        Assert.Equal([(1, 32L), (4, 5L)], net.SkipSources);
        var readout = (DenseBlock)net.Blocks[^1];
        Assert.Equal(37, readout.Weight.shape[1]);
        using var noGrad = no_grad();
        NetworkRun run = net.Run(Input(), record: Recording.Spikes | Recording.Membranes);
        Tensor conv = run.Layers[1].Spikes!.flatten(2), dense = run.Layers[2].Spikes!;   // records: encoder, conv, dense, readout
        // the readout's membrane for a soft-reset LIF: charge with W_conv·s_conv + W_dense·s_dense + b at every step
        Tensor current = nn.functional.linear(conv, readout.Weight[.., ..32]).Plus(nn.functional.linear(dense, readout.Weight[.., 32..])).Plus(readout.Bias!);
        var (_, membrane) = Lif.Sequence(current, membrane: true);
        Assert.True(membrane!.allclose(run.Layers[3].Membrane!, rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Sequence_run_and_single_steps_agree()
    {
        using var net = SpikingNetwork.Create(Spec(), new Generator(1), ScalarType.Float64);
        Tensor x = Input();
        using var noGrad = no_grad();
        Tensor sequence = net.Run(x).Sequence;
        NetworkState? state = null;
        for (int t = 0; t < 5; t++)
        {
            (Tensor output, state) = net.Step(x[t], state);
            Assert.True(output.allclose(sequence[t]), $"step {t}");
        }
    }

    [Fact]
    public void Gradients_reach_every_hidden_layer_through_its_skip_and_equal_finite_differences()
    {
        using var net = SpikingNetwork.Create(Spec(smooth: true), new Generator(2), ScalarType.Float64);
        Tensor x = Input();
        Tensor probe = randn([3, 3], dtype: ScalarType.Float64, generator: new Generator(8));
        double Loss() { using var g = no_grad(); return net.Run(x).Output.mul(probe).sum().item<double>(); }
        net.Run(x).Output.mul(probe).sum().backward();
        FiniteDifferences.Check(net.named_parameters().Where(n => n.name.EndsWith("weight", StringComparison.Ordinal)), Loss, n => [0, n - 1], 1e-5, "skip readout");
    }

    [Fact]
    public void Saved_models_keep_the_skip_readout()
    {
        using var net = SpikingNetwork.Create(Spec(), new Generator(1), ScalarType.Float64);
        ModelStore.Save(net, dir);
        Assert.Contains("\"skip_readout\": true", File.ReadAllText(Path.Combine(dir, "model.json")), StringComparison.Ordinal);
        using var loaded = ModelStore.Load(dir);
        Assert.True(loaded.Spec.SkipReadout);
        using var noGrad = no_grad();
        Assert.True(net.Run(Input()).Output.equal(loaded.Run(Input()).Output).all().item<bool>());
        Assert.DoesNotContain("skip_readout", ModelStore.ToJson(Spec() with { SkipReadout = false }), StringComparison.Ordinal);
    }

    [Fact]
    public void The_initializer_sees_the_readouts_whole_fan_in_and_the_mixture_of_its_inputs()
    {
        using var net = SpikingNetwork.Create(Spec(), new Generator(1), ScalarType.Float64);
        var records = NetworkInitializer.Initialize(net, Initializers.Create("kaiming"), InputStatistics.Gaussian(), new Generator(1));
        Assert.Equal(37, records[^1].Context!.FanIn);
        InputStatistics expected = InputStatistics.Concatenated([(records[1].Output, 32), (records[4].Output, 5)]);
        Assert.Equal(expected, records[^1].Context!.Input);
        Assert.Equal(Math.Sqrt(2.0 / 37), records[^1].Theory!.WeightStd, 12);   // Kaiming with the readout's fan-in
    }

    [Fact]
    public void Concatenated_input_statistics_are_the_feature_weighted_mixture()
    {
        // spikes with p = 0.1 on 30 features and p = 0.4 on 10: mean 0.175; real N(1, 2) on 1 and N(−1, 1) on 3: E[x] = −0.5, E[x²] = (3 + 3·2)/4
        InputStatistics s = InputStatistics.Concatenated([(InputStatistics.Spikes(0.1), 30), (InputStatistics.Spikes(0.4), 10)]);
        Assert.True(s.Binary);
        Assert.Equal(0.175, s.Mean, 12);
        Assert.Equal(0.175 * 0.825, s.Variance, 12);
        Assert.Equal(0.75 * 0.01 + 0.25 * 0.16, s.StationarySecondMoment, 12);   // E[r²] of a mixture of two rates
        InputStatistics g = InputStatistics.Concatenated([(InputStatistics.Gaussian(1, 2), 1), (InputStatistics.Gaussian(-1, 1), 3)]);
        Assert.False(g.Binary);
        Assert.Equal(-0.5, g.Mean, 12);
        Assert.Equal(9.0 / 4 - 0.25, g.Variance, 12);
        Assert.Throws<ArgumentException>(() => InputStatistics.Concatenated([]));
    }

    [Fact]
    public void A_skip_readout_needs_a_dense_last_layer_and_a_hidden_layer()
    {
        Assert.Contains("dense last layer", Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(
            NetworkSpec.Builder(1, 4, 4).Conv(2, 3, Lif).Conv(2, 1, Lif).Build() with { SkipReadout = true })).Message, StringComparison.Ordinal);
        Assert.Contains("at least one hidden", Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(
            NetworkSpec.Builder(4).Encoder(Lif).Dense(2, Lif).Build() with { SkipReadout = true })).Message, StringComparison.Ordinal);
    }
}
