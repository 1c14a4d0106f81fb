using SpikeInit.Layers;
using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>
/// Issue 17's knobs of the training presets — micheli-mlp --beta --theta --width, ding-conv --encoding and --norm, ding-vgg
/// --width, --skip-readout — each trained for one CI-sized epoch through the same path as <c>train</c> (options → configuration
/// → preset → data from an IDX folder → initialization → trainer) on a tiny folder of random 28 × 28 images.
/// </summary>
public sealed class PresetKnobTests : TempFolderTest
{
    public PresetKnobTests() : base("spikeinit-knobs-")
    {
        var rng = new Random(5);
        byte[] Images(int n) => [0, 0, 8, 3, 0, 0, 0, (byte)n, 0, 0, 0, 28, 0, 0, 0, 28,
                                 .. Enumerable.Range(0, n * 784).Select(_ => (byte)(rng.NextDouble() < 0.3 ? rng.Next(256) : 0))];
        static byte[] Labels(int n) => [0, 0, 8, 1, 0, 0, 0, (byte)n, .. Enumerable.Range(0, n).Select(i => (byte)(i % 10))];
        File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), Images(24));
        File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), Labels(24));
        File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), Images(8));
        File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), Labels(8));
    }

    private PreparedRun Prepare(string arguments)
    {
        var values = new Dictionary<string, string?> { ["dataset"] = dir, ["batch"] = "8", ["epochs"] = "1", ["max-batches"] = "2" };
        string[] words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < words.Length; i++)
            values[words[i][2..]] = i + 1 < words.Length && !words[i + 1].StartsWith("--", StringComparison.Ordinal) ? words[++i] : "true";
        return PreparedRun.Prepare(RunOptions.Configuration(new Settings(values), 1, null));
    }

    private static TrainingSummary TrainOneEpoch(PreparedRun run)
    {
        TrainingSummary s = Trainer.Train(run.Network, run.Data, run.Options, null);
        Assert.Equal(TrainingStatus.Completed, s.Status);
        Assert.True(double.IsFinite(s.History[^1].TrainLoss), "the loss stays finite");
        Assert.False(run.Network.training && run.Network.Blocks.Any(b => !b.training), "evaluation restores training mode");
        return s;
    }

    [Fact]
    public void Micheli_mlp_takes_beta_theta_width_and_depth_and_the_micheli_init_reads_its_theta()
    {
        using var _ = NewDisposeScope();
        PreparedRun run = Prepare("--arch micheli-mlp --beta 0.9 --theta 0.5 --width 16 --depth 2 --steps 2");
        Assert.Equal(4, run.Network.Blocks.Count);   // encoder, 2 hidden, output
        var hidden = (DenseBlock)run.Network.Blocks[1];
        Assert.Equal(16, hidden.Weight.shape[0]);
        var lif = (LifNeuron)hidden.Neuron;
        Assert.Equal((0.9, 0.5), (lif.Parameters.Beta, lif.Parameters.Theta));
        // Micheli: Var[w] = 1/(n·P(u > θ)) with P = ½·erfc(θ/√2) = 0.308538 at θ = 0.5 (spec C1), n = 16
        Assert.Equal(1 / (16 * 0.308538), Math.Pow(run.Initialization[2].Theory!.WeightStd, 2), 4);
        TrainOneEpoch(run);
    }

    [Theory]
    [InlineData("tdbn")]
    [InlineData("bntt")]
    [InlineData("tebn")]
    [InlineData("mpbn")]
    public void Ding_conv_trains_with_each_norm_after_every_hidden_connection_on_poisson_input(string norm)
    {
        using var _ = NewDisposeScope();
        PreparedRun run = Prepare($"--arch ding-conv --encoding poisson --steps 3 --norm {norm}");
        SpikingBlock[] connected = [.. run.Network.Blocks.OfType<SpikingBlock>()];
        Assert.All(connected[..^1], b => Assert.Equal(EnumNames.Parse<NormKind>(norm, "norm"), b.Normalization!.Kind));
        Assert.Null(connected[^1].Normalization);   // the output layer has none
        if (norm is "bntt" or "tebn") Assert.Equal(3, connected[0].Normalization!.Steps);
        TrainOneEpoch(run);
    }

    [Fact]
    public void Ding_conv_takes_the_two_channel_retina_encoding_and_a_skip_readout()
    {
        using var _ = NewDisposeScope();
        PreparedRun run = Prepare("--arch ding-conv --encoding retina --steps 3 --skip-readout --optimizer sgd");
        Assert.Equal([2L, 28, 28], run.Network.Spec.InputShape);
        // the readout receives conv 32·28·28 + conv 32·14·14 + 500 + 100 features
        Assert.Equal(32 * 28 * 28 + 32 * 14 * 14 + 500 + 100, ((DenseBlock)run.Network.Blocks[^1]).Weight.shape[1]);
        Assert.Equal(32 * 28 * 28 + 32 * 14 * 14 + 500 + 100, run.Initialization[^1].Context!.FanIn);
        TrainOneEpoch(run);
    }

    [Fact]
    public void Ding_vgg_has_the_vgg9_layer_list_at_the_given_width_and_trains()
    {
        using var _ = NewDisposeScope();
        PreparedRun run = Prepare("--arch ding-vgg --width 2 --steps 2");
        int[] channels = [.. run.Network.Blocks.OfType<ConvBlock>().Select(c => (int)c.Weight.shape[0])];
        Assert.Equal([2, 2, 4, 4, 4, 4, 4], channels);
        Assert.Equal(3, run.Network.Blocks.OfType<PoolBlock>().Count());
        DenseBlock[] dense = [.. run.Network.Blocks.OfType<DenseBlock>()];
        Assert.Equal((16L, 4L * 3 * 3), (dense[0].Weight.shape[0], dense[0].Weight.shape[1]));   // fc(8w) after 28 → 14 → 7 → 3
        Assert.Equal(10, dense[1].Weight.shape[0]);
        TrainOneEpoch(run);
    }

    [Theory]
    [InlineData("--arch micheli-mlp --beta 1", "beta")]
    [InlineData("--arch micheli-mlp --theta 0", "theta")]
    [InlineData("--arch micheli-mlp --width 0", "width")]
    [InlineData("--arch micheli-mlp --norm batch", "norm")]
    [InlineData("--arch ding-conv --beta 0.5", "beta: ding-conv has no beta option; --beta applies to micheli-mlp, ding-vgg")]
    [InlineData("--arch ding-vgg --depth 3", "ding-vgg takes --width only")]
    [InlineData("--arch hc-recurrent --norm mpbn", "norm: mpbn normalizes the membrane, which on a recurrent layer also carries the recurrent current")]
    [InlineData("--arch hc-alif --norm tdbn --calibrate rate:0.1", "calibrate: layer 0 has a tdbn normalization after its connection")]
    public void Bad_knobs_are_one_argument_error_naming_the_option(string arguments, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Prepare(arguments));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
