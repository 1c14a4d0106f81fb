using SpikeInit.Initialization;
using SpikeInit.Layers;

namespace SpikeInit.Tests;

public sealed class SpikingNormTests() : TempFolderTest("spikeinit-norm-")
{
    private const double Eps = 1e-5;

    // x [T = 2, B = 2, C = 2]: channel 0 holds 1, 2 (t = 0) and 3, 4 (t = 1); channel 1 holds 0, 0 and 0, 4.
    private static Tensor Currents() => tensor(new double[] { 1, 0, 2, 0, 3, 0, 4, 4 }, [2, 2, 2], ScalarType.Float64);

    private static SpikingNorm Norm(NormKind kind, double threshold = 1) => new(kind, 2, 2, threshold, 1, Eps, 0.1, ScalarType.Float64);

    private static double At(Tensor y, long t, long b, long c) => y[t, b, c].item<double>();

    [Fact]
    public void Tdbn_pools_batch_and_time_and_scales_to_alpha_theta_in_training_and_uses_running_statistics_in_eval()
    {
        using var norm = Norm(NormKind.Tdbn, threshold: 2);
        Tensor y = norm.Sequence(Currents());
        // channel 0: mean 2.5, variance 1.25; channel 1: mean 1, variance 3 (biased); alpha·theta = 2
        Assert.Equal(2 * (1 - 2.5) / Math.Sqrt(1.25 + Eps), At(y, 0, 0, 0), 12);
        Assert.Equal(2 * (4 - 1) / Math.Sqrt(3 + Eps), At(y, 1, 1, 1), 12);
        // running: 0.9·(0, 1) + 0.1·(mean, unbiased variance n/(n−1)·σ² with n = 4)
        Assert.Equal(0.25, norm.RunningMean[0].item<double>(), 12);
        Assert.Equal(0.9 + 0.1 * 1.25 * 4 / 3, norm.RunningVariance[0].item<double>(), 12);
        Assert.Equal(0.9 + 0.1 * 3 * 4 / 3, norm.RunningVariance[1].item<double>(), 12);
        norm.eval();
        Tensor e = norm.Sequence(Currents());
        Assert.Equal(2 * (3 - 0.25) / Math.Sqrt(0.9 + 0.1 * 1.25 * 4 / 3 + Eps), At(e, 1, 0, 0), 12);
        Assert.Equal(2 * (4 - 0.1) / Math.Sqrt(1.3 + Eps), At(e, 1, 1, 1), 12);
    }

    [Fact]
    public void Bntt_keeps_separate_statistics_and_scale_per_step_and_has_no_shift()
    {
        using var norm = Norm(NormKind.Bntt);
        using (no_grad()) norm.Gamma.copy_(tensor(new double[] { 1, 1, 3, 5 }, [2, 2], ScalarType.Float64));
        Tensor y = norm.Sequence(Currents());
        Assert.Equal((1 - 1.5) / Math.Sqrt(0.25 + Eps), At(y, 0, 0, 0), 12);       // t = 0, channel 0: 1, 2
        Assert.Equal(3 * (3 - 3.5) / Math.Sqrt(0.25 + Eps), At(y, 1, 0, 0), 12);   // t = 1, channel 0: 3, 4, gamma 3
        Assert.Equal(5 * (4 - 2) / Math.Sqrt(4 + Eps), At(y, 1, 1, 1), 12);       // t = 1, channel 1: 0, 4, gamma 5
        Assert.Equal(0, At(y, 0, 1, 1), 12);                                       // t = 0, channel 1: constant 0
        Assert.Equal(0.9 + 0.1 * 0.5, norm.RunningVariance[0, 0].item<double>(), 12);   // unbiased with n = 2
        Assert.Equal(0.35, norm.RunningMean[1, 0].item<double>(), 12);
        Assert.Null(norm.Beta);
        Assert.Throws<ArgumentException>(() => norm.Sequence(cat([Currents(), Currents()], 0)));   // built for 2 steps
    }

    [Fact]
    public void Tebn_pools_statistics_over_time_and_scales_each_step_by_p_t()
    {
        using var norm = Norm(NormKind.Tebn);
        using (no_grad())
        {
            norm.P!.copy_(tensor(new double[] { 1, 3 }, ScalarType.Float64));
            norm.Beta!.copy_(tensor(new double[] { 0.5, 0 }, ScalarType.Float64));
        }
        Tensor y = norm.Sequence(Currents());
        Assert.Equal((1 - 2.5) / Math.Sqrt(1.25 + Eps) + 0.5, At(y, 0, 0, 0), 12);
        Assert.Equal(3 * ((4 - 2.5) / Math.Sqrt(1.25 + Eps) + 0.5), At(y, 1, 1, 0), 12);
    }

    [Fact]
    public void Mpbn_normalizes_the_membrane_per_step_and_its_folded_threshold_is_guos()
    {
        using var norm = Norm(NormKind.Mpbn, threshold: 1);
        Tensor u = tensor(new double[] { 1, 0, 3, 4 }, [2, 2], ScalarType.Float64);
        Tensor y = norm.Step(u, 0);
        Assert.Equal(-1 / Math.Sqrt(1 + Eps), y[0, 0].item<double>(), 12);
        Assert.Equal(2 / Math.Sqrt(4 + Eps), y[1, 1].item<double>(), 12);
        using (no_grad())
        {
            norm.Gamma.copy_(tensor(new double[] { 2, -0.5 }, ScalarType.Float64));
            norm.Beta!.copy_(tensor(new double[] { 0.5, 0.25 }, ScalarType.Float64));
        }
        norm.eval();
        (Tensor threshold, Tensor polarity) = norm.FoldedThreshold();
        double mean0 = 0.1 * 2, var0 = 0.9 + 0.1 * 2;   // batch mean 2, unbiased variance 2 (n = 2)
        Assert.Equal((1 - 0.5) * Math.Sqrt(var0 + Eps) / 2 + mean0, threshold[0].item<double>(), 12);
        Assert.Equal(-1, polarity[1].item<double>());
    }

    private static readonly LifNeuron Lif = new(new LifParameters(0.8, 0.5));

    public static TheoryData<string> Kinds() => ["tdbn", "bntt", "tebn", "mpbn"];

    /// <summary>The norms on two recurrent layers' feed-forward current (docs/THEORY.md §N8), LIF and ALIF.</summary>
    public static TheoryData<string> RecurrentKinds() => ["recurrent-tdbn", "recurrent-bntt", "recurrent-tebn", "recurrent-alif-tebn"];

    /// <summary>The norm's name in a kind such as <c>recurrent-alif-tebn</c>.</summary>
    private static string NormName(string kind) => kind.Split('-')[^1];

    private static NetworkSpec Spec(string kind, int steps = 6, bool smooth = false)
    {
        Neuron n = kind.Contains("alif", StringComparison.Ordinal) ? new AlifNeuron(new AlifParameters(0.8, 0.5, 0.3, 4)) : Lif;
        if (smooth) n = n.WithSpike(new SpikeOptions(SmoothForward: true));
        var norm = new NormSpec(EnumNames.Parse<NormKind>(NormName(kind), "norm"), Steps: steps);
        NetworkSpec spec = kind.StartsWith("recurrent-", StringComparison.Ordinal)
            ? NetworkSpec.Builder(1, 6, 6).Flatten().Recurrent(12, n).Recurrent(8, n).Dense(3, n).Build()
            : NetworkSpec.Builder(1, 6, 6).Conv(3, 3, n, padding: 1).MaxPool(2).Flatten().Dense(8, n).Dense(3, n).Build();
        return Architectures.Normalized(spec, norm);
    }

    /// <summary>A network whose norms have moved away from their start: trained statistics, random γ, β, p.</summary>
    private static SpikingNetwork Trained(NetworkSpec spec, Tensor input)
    {
        var net = SpikingNetwork.Create(spec, new Generator(11), ScalarType.Float64);
        using (no_grad())
        {
            foreach (var (name, p) in net.named_parameters())
                if (name.Contains("norm", StringComparison.Ordinal)) p.copy_(rand(p.shape, dtype: p.dtype, generator: new Generator(5)).Plus(0.5));
            for (int i = 0; i < 3; i++) net.Run(input.Times(1 + 0.2 * i));
        }
        net.eval();
        return net;
    }

    private static Tensor Input(int steps = 6) => randn([steps, 4, 1, 6, 6], dtype: ScalarType.Float64, generator: new Generator(3)).Times(2);

    [Theory]
    [MemberData(nameof(Kinds))]
    [MemberData(nameof(RecurrentKinds))]
    public void Folded_and_unfolded_networks_give_identical_outputs_in_eval_mode(string kind)
    {
        Tensor x = Input();
        using var net = Trained(Spec(kind), x);
        using var noGrad = no_grad();
        NetworkRun before = net.Run(x, record: Recording.Spikes | Recording.Membranes);
        Assert.True(before.Layers.Sum(r => r.Spikes!.sum().item<double>()) > 0, "the test network should spike");
        foreach (Block b in net.Blocks) if (b is SpikingBlock s) s.FoldNormalization();
        Assert.True(net.Blocks.OfType<SpikingBlock>().Count(b => b.Folded) == 2);
        NetworkRun after = net.Run(x, record: Recording.Spikes | Recording.Membranes);
        for (int i = 0; i < before.Layers.Count; i++)
        {
            Assert.True(before.Layers[i].Spikes!.equal(after.Layers[i].Spikes!).all().item<bool>(), $"{kind}: layer {i} spikes differ after folding");
            Assert.True(before.Layers[i].Membrane!.allclose(after.Layers[i].Membrane!, rtol: 1e-10, atol: 1e-10), $"{kind}: layer {i} membranes differ");
        }
        Assert.True(before.Output.equal(after.Output).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    [MemberData(nameof(RecurrentKinds))]
    public void Sequence_run_and_single_steps_agree_in_eval_mode(string kind)
    {
        Tensor x = Input();
        using var net = Trained(Spec(kind), x);
        using var noGrad = no_grad();
        Tensor sequence = net.Run(x).Sequence;
        NetworkState? state = null;
        for (int t = 0; t < 6; t++)
        {
            (Tensor output, state) = net.Step(x[t], state);
            Assert.True(output.allclose(sequence[t], rtol: 1e-12, atol: 1e-12), $"{kind}: step {t}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    [MemberData(nameof(RecurrentKinds))]
    public void Gradients_through_the_normalization_equal_finite_differences(string kind)
    {
        // SmoothForward makes every spike the surrogate's primitive, so backward must be the exact gradient (training mode).
        using var net = SpikingNetwork.Create(Spec(kind, steps: 3, smooth: true), new Generator(2), ScalarType.Float64);
        Tensor x = Input(3);
        Tensor probe = randn([4, 3], dtype: ScalarType.Float64, generator: new Generator(8));
        double Loss() { using var g = no_grad(); return net.Run(x).Output.mul(probe).sum().item<double>(); }
        net.Run(x).Output.mul(probe).sum().backward();
        FiniteDifferences.Check(net.named_parameters().Where(n => n.name.Contains("norm", StringComparison.Ordinal) || n.name.EndsWith("0.weight", StringComparison.Ordinal)),
                                Loss, n => [0, n - 1], 1e-5, kind);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    [MemberData(nameof(RecurrentKinds))]
    public void Saved_models_keep_the_norm_its_parameters_and_running_statistics(string kind)
    {
        Tensor x = Input();
        using var net = Trained(Spec(kind), x);
        ModelStore.Save(net, dir);
        Assert.Contains($"\"kind\": \"{NormName(kind)}\"", File.ReadAllText(Path.Combine(dir, "model.json")), StringComparison.Ordinal);
        using var loaded = ModelStore.Load(dir);
        loaded.eval();
        Assert.Equal(ModelStore.ToJson(net.Spec), ModelStore.ToJson(loaded.Spec));
        using var noGrad = no_grad();
        Assert.True(net.Run(x).Output.equal(loaded.Run(x).Output).all().item<bool>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Initializers_and_the_per_layer_probe_run_on_a_network_with_norms(string kind)
    {
        using var net = SpikingNetwork.Create(Spec(kind), new Generator(4), ScalarType.Float64);
        var records = NetworkInitializer.Initialize(net, Initializers.Create("kaiming"), InputStatistics.Gaussian(), new Generator(1), steps: 6);
        Assert.Equal(net.Blocks.Count, records.Count);
        using var noGrad = no_grad();
        NetworkRun run = net.Run(Input(), record: Recording.Spikes | Recording.Membranes);
        LayerActivity first = LayerActivity.Measure(run.Layers[0].Spikes!, run.Layers[0].Membrane);
        // the normalized current of the first layer has unit spread, so a θ = 0.5 layer fires
        Assert.InRange(first.Rate.Average(), 0.01, 0.99);
    }

    [Fact]
    public void Bad_norm_settings_and_places_are_clear_errors()
    {
        Assert.Contains("norm steps", Assert.ThrowsAny<ArgumentException>(() => SpikingNetwork.Create(Architectures.Normalized(
            NetworkSpec.Builder(4).Dense(3, Lif).Dense(2, Lif).Build(), new NormSpec(NormKind.Bntt)))).Message, StringComparison.Ordinal);
        Assert.Contains("norm momentum", Assert.ThrowsAny<ArgumentException>(() => SpikingNetwork.Create(Architectures.Normalized(
            NetworkSpec.Builder(4).Dense(3, Lif).Dense(2, Lif).Build(), new NormSpec(NormKind.Tdbn, Momentum: 2)))).Message, StringComparison.Ordinal);
        var cuba = new CubaLifNeuron(new CubaLifParameters());
        Assert.Contains("mpbn", Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(Architectures.Normalized(
            NetworkSpec.Builder(4).Dense(3, cuba).Dense(2, cuba).Build(), new NormSpec(NormKind.Mpbn)))).Message, StringComparison.Ordinal);
        using var net = SpikingNetwork.Create(Spec("tdbn"), new Generator(1), ScalarType.Float64);
        Assert.Throws<InvalidOperationException>(() => ((SpikingBlock)net.Blocks[0]).FoldNormalization());   // training mode
        Assert.Throws<InvalidOperationException>(() => net.Step(Input()[0]));   // tdbn pools over time: no steps in training
    }
}
