using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>
/// tdBN, BNTT and TEBN on a recurrent layer's feed-forward current (docs/THEORY.md §N8): MPBN refused, <c>--norm</c> with the
/// hc-recurrent and hc-alif presets, calibration and the initializers' notes (folding, Run/Step, finite differences and
/// save/load: <c>SpikingNormTests</c>' recurrent cases).
/// </summary>
public sealed class RecurrentNormTests
{
    private static readonly LifNeuron Lif = new(new LifParameters(0.8, 0.5));

    private static NetworkSpec Spec(string kind) =>
        Architectures.Normalized(NetworkSpec.Builder(10).Recurrent(12, Lif).Recurrent(8, Lif).Dense(3, Lif).Build(),
                                 new NormSpec(EnumNames.Parse<NormKind>(kind, "norm"), Steps: 6));

    private static Tensor Input(int steps = 6) => randn([steps, 4, 10], dtype: ScalarType.Float64, generator: new Generator(3)).Times(2);

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
