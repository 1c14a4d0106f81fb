using SpikeInit.Layers;

namespace SpikeInit.Tests;

/// <summary>Per-neuron learnable leak and threshold (<see cref="LearnedParameters"/>) of LIF and ALIF in dense and recurrent blocks.</summary>
public class LearnedNeuronTests
{
    private static NetworkSpec Spec(bool learn) => NetworkSpec.Builder(5)
        .Recurrent(6, new LifNeuron(new LifParameters(0.9, 1.0, learn: learn)))
        .Dense(4, new AlifNeuron(new AlifParameters(0.8, 0.5, 1.8, 10, learn: learn)))
        .Build();

    [Fact]
    public void Blocks_register_leak_logit_and_threshold_at_the_models_values()
    {
        using var net = NetworkTests.Build(Spec(true));
        var p = net.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        Assert.Equal(["layers.0.weight", "layers.0.recurrent_weight", "layers.0.bias", "layers.0.leak_logit", "layers.0.threshold",
                      "layers.1.weight", "layers.1.bias", "layers.1.leak_logit", "layers.1.threshold"], p.Keys);
        T.Close(Enumerable.Repeat(0.9, 6).ToArray(), T.Array(p["layers.0.leak_logit"].sigmoid()), 1e-12, "alpha");
        T.Close(Enumerable.Repeat(0.5, 4).ToArray(), T.Array(p["layers.1.threshold"]), 0, "theta");
    }

    [Fact]
    public void At_their_initial_values_the_learned_parameters_give_the_fixed_models_run()
    {
        using var learned = NetworkTests.Build(Spec(true));
        using var fixedNet = NetworkTests.Build(Spec(false));
        Tensor x = randn([12, 3, 5], dtype: ScalarType.Float64, generator: new Generator(4)) * 2;
        using var _ = no_grad();
        T.Close(T.Array(fixedNet.Run(x).Output), T.Array(learned.Run(x).Output), 1e-12, "output");
    }

    [Fact]
    public void Training_moves_them_the_leak_stays_in_0_1_and_the_state_file_keeps_them()
    {
        using var net = NetworkTests.Build(Spec(true));
        var block = (RecurrentBlock)net.Blocks[0];
        using (no_grad()) block.LeakLogit!.copy_(T.Vec(-30, -2, 0, 2, 30, 5));   // far beyond any leak in [0, 1]
        Tensor x = randn([10, 2, 5], dtype: ScalarType.Float64, generator: new Generator(2)) * 3;
        net.Run(x).Output.sum().backward();
        Assert.True(block.LeakLogit.grad!.abs().sum().item<double>() > 0, "the leak receives a gradient");
        Assert.True(block.Threshold!.grad!.abs().sum().item<double>() > 0, "the threshold receives a gradient");
        double[] alpha = T.Array(new LearnedParameters(block.LeakLogit, block.Threshold).Leak);
        Assert.All(alpha, a => Assert.InRange(a, 0.0, 1.0));
        string dir = Path.Combine(Path.GetTempPath(), "spikeinit-learned-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (no_grad()) block.Threshold.copy_(T.Vec(0.5, 0.7, 0.9, 1.1, 1.3, 1.5));
            ModelStore.Save(net, dir);
            using var loaded = ModelStore.Load(dir);
            var b = (RecurrentBlock)loaded.Blocks[0];
            T.Close(T.Array(block.LeakLogit), T.Array(b.LeakLogit!), 0, "leak_logit");
            T.Close(T.Array(block.Threshold), T.Array(b.Threshold!), 0, "threshold");
            using var _ = no_grad();
            Assert.True(net.Run(x).Output.equal(loaded.Run(x).Output).all().item<bool>());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_network_without_LIF_layers_cannot_learn_them_and_conv_layers_refuse_them()
    {
        var e = Assert.Throws<ArgumentException>(() => Architectures.CurrentBased(4, [3], 2).WithLearnedNeurons());
        Assert.Contains("learn-neuron", e.Message, StringComparison.Ordinal);
        var conv = NetworkSpec.Builder(1, 4, 4).Conv(2, 3, new LifNeuron(new LifParameters(learn: true))).Flatten().Dense(2, new LifNeuron()).Build();
        using var net = NetworkTests.Build(conv);
        var run = Assert.Throws<ArgumentException>(() => net.Run(zeros([3, 1, 1, 4, 4], ScalarType.Float64)));
        Assert.Contains("learn-neuron", run.Message, StringComparison.Ordinal);
    }
}
