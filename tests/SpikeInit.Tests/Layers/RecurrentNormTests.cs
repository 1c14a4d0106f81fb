using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>
/// tdBN, BNTT and TEBN on a recurrent layer's feed-forward current (docs/THEORY.md §N8): folded = unfolded in eval mode,
/// Run/Step parity, finite-difference gradients, save/load, MPBN refused, <c>--norm</c> with the hc-recurrent preset.
/// </summary>
public sealed class RecurrentNormTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"spikeinit-recnorm-{Guid.NewGuid():N}");

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private static readonly LifNeuron Lif = new(new LifParameters(0.8, 0.5));

    public static TheoryData<string> Kinds() => ["tdbn", "bntt", "tebn"];

    private static NetworkSpec Spec(string kind, int steps = 6, bool smooth = false, bool alif = false)
    {
        Neuron n = alif ? new AlifNeuron(new AlifParameters(0.8, 0.5, 0.3, 4)) : Lif;
        if (smooth) n = n.WithSpike(new SpikeOptions(SmoothForward: true));
        NetworkSpec spec = NetworkSpec.Builder(10).Recurrent(12, n).Recurrent(8, n).Dense(3, smooth ? Lif.WithSpike(new SpikeOptions(SmoothForward: true)) : Lif).Build();
        return Architectures.Normalized(spec, new NormSpec(EnumNames.Parse<NormKind>(kind, "norm"), Steps: steps));
    }

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

    private static Tensor Input(int steps = 6) => randn([steps, 4, 10], dtype: ScalarType.Float64, generator: new Generator(3)).Times(2);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Folded_and_unfolded_recurrent_layers_agree_in_eval_mode_and_steps_match_the_run(string kind)
    {
        Tensor x = Input();
        foreach (bool alif in new[] { false, true })
        {
            using var net = Trained(Spec(kind, alif: alif), x);
            Assert.Equal(2, net.Blocks.OfType<RecurrentBlock>().Count(b => b.Normalization is not null));
            using var noGrad = no_grad();
            NetworkRun before = net.Run(x, record: Recording.Spikes | Recording.Membranes);
            Assert.True(before.Layers[0].Spikes!.sum().item<double>() > 0, "the test network should spike");
            NetworkState? state = null;
            for (int t = 0; t < 6; t++)
            {
                (Tensor output, state) = net.Step(x[t], state);
                Assert.True(output.allclose(before.Sequence[t], rtol: 1e-12, atol: 1e-12), $"{kind}: step {t}");
            }
            foreach (Block b in net.Blocks) if (b is SpikingBlock s) s.FoldNormalization();
            NetworkRun after = net.Run(x, record: Recording.Spikes | Recording.Membranes);
            for (int i = 0; i < before.Layers.Count; i++)
            {
                Assert.True(before.Layers[i].Spikes!.equal(after.Layers[i].Spikes!).all().item<bool>(), $"{kind}: layer {i} spikes differ after folding");
                Assert.True(before.Layers[i].Membrane!.allclose(after.Layers[i].Membrane!, rtol: 1e-10, atol: 1e-10), $"{kind}: layer {i} membranes differ");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Gradients_through_the_recurrent_normalization_equal_finite_differences(string kind)
    {
        using var net = SpikingNetwork.Create(Spec(kind, steps: 3, smooth: true), new Generator(2), ScalarType.Float64);
        Tensor x = Input(3);
        Tensor probe = randn([4, 3], dtype: ScalarType.Float64, generator: new Generator(8));
        double Loss() { using var g = no_grad(); return net.Run(x).Output.mul(probe).sum().item<double>(); }
        net.Run(x).Output.mul(probe).sum().backward();
        FiniteDifferences.Check(net.named_parameters().Where(n => n.name.Contains("norm", StringComparison.Ordinal) || n.name.EndsWith("recurrent_weight", StringComparison.Ordinal)),
                                Loss, n => [0, n - 1], 1e-5, kind);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Saved_recurrent_models_keep_the_norm(string kind)
    {
        Tensor x = Input();
        using var net = Trained(Spec(kind), x);
        ModelStore.Save(net, dir);
        using var loaded = ModelStore.Load(dir);
        loaded.eval();
        Assert.Equal(ModelStore.ToJson(net.Spec), ModelStore.ToJson(loaded.Spec));
        using var noGrad = no_grad();
        Assert.True(net.Run(x).Output.equal(loaded.Run(x).Output).all().item<bool>());
    }

    private static ImageTrainingData Images()
    {
        ImageSet Set(string name) => new(name, [.. Enumerable.Range(0, 16 * 784).Select(i => (byte)(i * 7 % 256))],
                                         [.. Enumerable.Range(0, 16).Select(i => (byte)(i % 10))], 16, 28, 28, 10);
        return new ImageTrainingData(new ImageDataset(Set("train"), Set("test"), "random"), 8, 1, ImageEncoding.Latency, 10, Normalization.UnitRange, validationFraction: 0);
    }

    [Fact]
    public void Mpbn_is_refused_on_recurrent_layers_and_the_presets_take_norm()
    {
        Assert.Contains("recurrent layer takes tdbn, bntt or tebn", Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(Spec("mpbn"))).Message, StringComparison.Ordinal);
        foreach (string preset in new[] { "hc-recurrent", "hc-alif" })
        {
            TrainingPreset p = TrainingPresets.Get(preset);
            NetworkSpec spec = p.Build(Images(), new RunConfiguration { Architecture = preset, Norm = NormKind.Tdbn });
            Assert.Equal(2, spec.Layers.OfType<RecurrentLayer>().Count(l => l.Norm is { Kind: NormKind.Tdbn }));
        }
    }

    [Fact]
    public void Calibration_refuses_to_rescale_weights_a_norm_follows_but_rescales_recurrent_ones()
    {
        using var net = SpikingNetwork.Create(Spec("tdbn"), new Generator(1), ScalarType.Float64);
        Tensor x = Input();
        foreach (string target in new[] { "rate:0.1", "rate:0.1@input" })
            Assert.Contains("calibrate: layer 0 has a tdbn normalization", Assert.Throws<ArgumentException>(
                () => Calibration.Run(net, x, null, CalibrationTarget.Parse(target))).Message, StringComparison.Ordinal);
        // the recurrent current is not normalized, so its weights can be calibrated
        Assert.NotEmpty(Calibration.Run(net, x, null, CalibrationTarget.Parse("rate:0.3@recurrent")));
    }

    [Fact]
    public void Initializer_predictions_say_that_they_ignore_the_norm()
    {
        using var net = SpikingNetwork.Create(Spec("bntt"), new Generator(4), ScalarType.Float64);
        var records = NetworkInitializer.Initialize(net, Initializers.Create("kaiming"), InputStatistics.Gaussian(), new Generator(1), steps: 6);
        Assert.All(records.Take(2), r => Assert.Contains(r.Theory!.Notes, n => n.Contains("bntt normalization follows this connection", StringComparison.Ordinal)));
        Assert.DoesNotContain(records[2].Theory!.Notes, n => n.Contains("normalization follows", StringComparison.Ordinal));
    }
}
