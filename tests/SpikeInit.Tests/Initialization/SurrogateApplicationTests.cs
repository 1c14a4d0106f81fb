using SpikeInit.Initialization;
using SpikeInit.Layers;

namespace SpikeInit.Tests;

/// <summary>
/// <see cref="NetworkInitializer"/> gives a layer's neurons the surrogate its method recommends (the stability method's
/// conditions III/IV), in the running blocks, the network's specification and a saved model — or keeps them on request.
/// </summary>
public sealed class SurrogateApplicationTests() : TempFolderTest("spikeinit-surrogates-")
{
    private static readonly InputStatistics Input = InputStatistics.Spikes(0.1);

    /// <summary>Herranz-Celotti's network: 2 × 24 recurrent minus-reset LIF (fast-sigmoid, γ = β = 1), dense readout.</summary>
    private static SpikingNetwork Network() => SpikingNetwork.Create(Architectures.ShallowRecurrent(16, 24, 3), new Generator(1));

    private static IReadOnlyList<LayerInitialization> Initialize(SpikingNetwork net, Initializer method, bool apply = true)
    {
        using var g = new Generator(2);
        return NetworkInitializer.Initialize(net, method, Input, g, apply);
    }

    /// <summary>The surrogate of layer <paramref name="i"/> as the spec says and as the block runs it (they must agree).</summary>
    private static Surrogate SurrogateOf(SpikingNetwork net, int i)
    {
        Surrogate block = net.Blocks[i].Neuron!.Surrogate;
        Surrogate spec = net.Spec.Layers[i] switch
        {
            RecurrentLayer r => r.Neuron.Surrogate,
            DenseLayer d => d.Neuron.Surrogate,
            _ => throw new InvalidOperationException("no neurons"),
        };
        Assert.Equal(spec, block);
        return block;
    }

    [Fact]
    public void Stability_surrogates_are_applied_per_layer_with_the_values_the_method_plans_for_its_context()
    {
        using SpikingNetwork net = Network();
        Surrogate before = SurrogateOf(net, 0);
        var records = Initialize(net, new StabilityBased());
        // the expectation through the method itself, context by context (layer 2 sees layer 1's condition-I output)
        var neuron = (LifNeuron)((RecurrentLayer)Architectures.ShallowRecurrent(16, 24, 3).Layers[0]).Neuron;
        InputStatistics x = Input;
        foreach (int i in new[] { 0, 1 })
        {
            LayerPlan plan = new StabilityBased().Plan(InitContext.Recurrent(i == 0 ? 16 : 24, 24, neuron, x));
            var expected = Assert.IsType<NormalizedSurrogate>(plan.Surrogate);
            Assert.Equal(expected, records[i].Surrogate);
            Assert.True(records[i].SurrogateApplied);
            Assert.Equal(expected, SurrogateOf(net, i));
            Assert.Equal(plan.Theory.SurrogateDampening, expected.Dampening);
            Assert.Equal(plan.Theory.SurrogateSharpness, expected.Sharpness);
            Assert.NotEqual(before, expected);
            Assert.Equal(before, records[i].PreviousSurrogate);
            Assert.Equal($"layer {i}: surrogate {expected.Name} applied (was {before.Name})", records[i].DescribeSurrogate());
            x = plan.Theory.Output;
        }
        // the readout has no recurrence: no recommendation, its surrogate untouched
        Assert.Null(records[2].Surrogate);
        Assert.False(records[2].SurrogateApplied);
        Assert.Null(records[2].DescribeSurrogate());
        Assert.Equal(before, SurrogateOf(net, 2));
    }

    [Fact]
    public void Keeping_surrogates_records_the_recommendation_and_changes_nothing()
    {
        using SpikingNetwork net = Network();
        NetworkSpec spec = net.Spec;
        Surrogate before = SurrogateOf(net, 0);
        var records = Initialize(net, new StabilityBased(), apply: false);
        Assert.Same(spec, net.Spec);
        Assert.NotNull(records[0].Surrogate);
        Assert.False(records[0].SurrogateApplied);
        Assert.Equal(before, SurrogateOf(net, 0));
        Assert.Equal(before, SurrogateOf(net, 1));
        Assert.Equal($"layer 0: surrogate {records[0].Surrogate!.Name} recommended, kept {before.Name}", records[0].DescribeSurrogate());
        Assert.False(records[0].SurrogateJson()!["applied"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("kaiming")]
    [InlineData("glorot")]
    [InlineData("micheli")]
    public void A_method_that_recommends_no_surrogate_leaves_the_network_as_it_was(string method)
    {
        using SpikingNetwork net = Network();
        NetworkSpec spec = net.Spec;
        var records = Initialize(net, Initializers.Create(method));
        Assert.All(records, r => Assert.Null(r.Surrogate));
        Assert.All(records, r => Assert.Null(r.SurrogateJson()));
        Assert.Same(spec, net.Spec);
    }

    [Fact]
    public void Applied_surrogates_change_the_backward_pass()
    {
        // same weights (same seeds), one network with the recommended surrogate, one with the default: the forward spikes
        // agree, the weight gradients differ by the surrogate alone
        Tensor Gradient(bool apply, out Tensor spikes)
        {
            using SpikingNetwork net = Network();
            Initialize(net, new StabilityBased(), apply);
            using var g = new Generator(7);
            Tensor input = rand([6, 4, 16], generator: g).LessThan(0.3).to(ScalarType.Float32);
            NetworkRun run = net.Run(input, record: Recording.Spikes);
            spikes = run.Layers[0].Spikes!.detach().clone();
            run.Output.square().sum().backward();
            return ((RecurrentBlock)net.Blocks[0]).Weight.grad!.detach().clone();
        }
        Tensor applied = Gradient(true, out Tensor s1), kept = Gradient(false, out Tensor s2);
        Assert.True(s1.equal(s2).all().item<bool>());
        Assert.True(s1.sum().item<float>() > 0, "the layer fires, so the surrogate matters");
        Assert.False(applied.allclose(kept, rtol: 1e-3, atol: 1e-6));
    }

    [Fact]
    public void Applied_surrogates_survive_a_save_and_load_round_trip()
    {
        using SpikingNetwork net = Network();
        var records = Initialize(net, new StabilityBased());
        ModelStore.Save(net, dir);
        using SpikingNetwork loaded = ModelStore.Load(dir);
        Assert.Equal(ModelStore.ToJson(net.Spec), ModelStore.ToJson(loaded.Spec));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(records[i].Surrogate, SurrogateOf(loaded, i));
            var s = (NormalizedSurrogate)records[i].Surrogate!;
            Assert.Contains($"\"dampening\": {s.Dampening.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}",
                            File.ReadAllText(Path.Combine(dir, "model.json")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Initializing_again_recommends_the_same_surrogate()
    {
        // the probe re-initializes one network per repeat: the applied surrogate must not drift
        using SpikingNetwork net = Network();
        var first = Initialize(net, new StabilityBased());
        var second = Initialize(net, new StabilityBased());
        for (int i = 0; i < 2; i++) Assert.Equal(first[i].Surrogate, second[i].Surrogate);
    }

    [Fact]
    public void UseSurrogate_refuses_blocks_without_neurons_and_indices_outside_the_network()
    {
        using SpikingNetwork net = SpikingNetwork.Create(NetworkSpec.Builder(1, 4, 4).Conv(2, 3, new LifNeuron(), padding: 1).MaxPool(2).Flatten()
                                                                    .Dense(3, new LifNeuron()).Build());
        var s = new ArcTan();
        Assert.Contains("layer 1 (PoolBlock) has no neurons", Assert.Throws<ArgumentException>(() => net.UseSurrogate(1, s)).Message, StringComparison.Ordinal);
        Assert.Contains("layer = 4 is outside [0, 3]", Assert.Throws<ArgumentException>(() => net.UseSurrogate(4, s)).Message, StringComparison.Ordinal);
        net.UseSurrogate(0, s);
        net.UseSurrogate(3, s);
        Assert.Equal(s, net.Blocks[0].Neuron!.Surrogate);
        Assert.Equal(s, ((ConvLayer)net.Spec.Layers[0]).Neuron.Surrogate);
        Assert.Equal(s, ((DenseLayer)net.Spec.Layers[3]).Neuron.Surrogate);
        Assert.IsType<PoolLayer>(net.Spec.Layers[1]);
    }
}
