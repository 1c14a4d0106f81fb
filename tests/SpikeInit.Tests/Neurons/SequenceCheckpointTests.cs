namespace SpikeInit.Tests;

/// <summary>
/// Time checkpointing of the fused LIF and current-based kernels (<see cref="SequenceCheckpoint"/>): spikes and ∂L/∂x with a
/// chunk must be bit for bit those without (the recomputed states and the carried gradients are the same float32 values),
/// for every reset, spike condition and detach, chunks that divide T and chunks that do not, constant and varying inputs.
/// </summary>
public class SequenceCheckpointTests
{
    private static (Tensor Spikes, Tensor Grad) Run(Neuron neuron, Tensor baseInput, long[] shape, bool constant, Tensor weights, int chunk)
    {
        Tensor leaf = baseInput.detach().requires_grad_(true);
        Tensor x = constant ? leaf.unsqueeze(0).expand(shape) : leaf;
        var (s, _) = (neuron with { TimeChunk = chunk }).Sequence(x, membrane: false);
        s.mul(weights).sum().backward();
        return (s.detach(), leaf.grad!.detach());
    }

    private static void Check(Neuron neuron, long[] shape, bool constant, int seed, double scale = 1.5, double shift = 0.5)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        Tensor input = (constant ? randn(shape[1..], generator: g) : randn(shape, generator: g)).mul(scale).add(shift);
        long[] outputs = [.. shape];
        if (neuron is CubaExcInhNeuron) outputs[2] /= 2;                      // two pools in, one population out
        Tensor weights = randn(outputs, generator: g);
        var plain = Run(neuron, input, shape, constant, weights, 0);
        if (neuron is not CubaLifNeuron { Parameters.Reset: false })                // a current-based neuron without reset never fires (a readout)
            Assert.True(plain.Spikes.sum().item<float>() > 0, "no spike: the test would not exercise the reset");
        foreach (int chunk in new[] { 1, 2, 3, 4, SequenceCheckpoint.Sqrt, (int)shape[0] - 1 })
        {
            var checkpointed = Run(neuron, input, shape, constant, weights, chunk);
            Assert.True(checkpointed.Spikes.eq(plain.Spikes).all().item<bool>(), $"spikes differ with chunk {chunk}");
            Assert.True(checkpointed.Grad.eq(plain.Grad).all().item<bool>(),
                $"gradient differs with chunk {chunk} by {checkpointed.Grad.sub(plain.Grad).abs().max().item<float>()}");
        }
    }

    public static TheoryData<LifReset, SpikeCondition, bool> Variants()
    {
        var data = new TheoryData<LifReset, SpikeCondition, bool>();
        foreach (LifReset reset in Enum.GetValues<LifReset>())
            foreach (SpikeCondition condition in Enum.GetValues<SpikeCondition>())
                foreach (bool detach in new[] { false, true })
                    data.Add(reset, condition, detach);
        return data;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Checkpointed_LIF_gives_the_same_spikes_and_gradients(LifReset reset, SpikeCondition condition, bool detach)
    {
        var neuron = new LifNeuron(new LifParameters(0.8, 1.0, reset, new SpikeOptions(condition, detach), reset == LifReset.ZeroBeforeDecay ? 0.7 : 1.0), new ArcTan(2));
        Check(neuron, [11, 3, 37], constant: false, seed: 5);     // T = 11: chunks 2, 3, 4, 10 leave a ragged last chunk
        Check(neuron, [9, 2, 29], constant: true, seed: 6);       // time stride 0
    }

    [Fact]
    public void Checkpointed_LIF_matches_on_a_problem_large_enough_to_run_in_parallel() =>
        Check(new LifNeuron(new LifParameters(0.9, 1.0, LifReset.SubtractBeforeDecay), new ArcTan(2)), [10, 8, 4100], constant: false, seed: 7);

    public static TheoryData<bool, SpikeCondition, bool> CubaVariants()
    {
        var data = new TheoryData<bool, SpikeCondition, bool>();
        foreach (bool reset in new[] { true, false })
            foreach (SpikeCondition condition in Enum.GetValues<SpikeCondition>())
                foreach (bool detach in new[] { false, true })
                    data.Add(reset, condition, detach);
        return data;
    }

    [Theory]
    [MemberData(nameof(CubaVariants))]
    public void Checkpointed_current_based_LIF_gives_the_same_spikes_and_gradients(bool reset, SpikeCondition condition, bool detach)
    {
        // dt = tau_syn / 2 and tau_mem = 2 tau_syn: strong drive, so the neurons spike within a few steps
        var neuron = new CubaLifNeuron(new CubaLifParameters(5e-3, 20e-3, 10e-3, 0.5, reset, new SpikeOptions(condition, detach)), new ArcTan(2));
        Check(neuron, [13, 3, 37], constant: false, seed: 8, scale: 3, shift: 1);
        Check(neuron, [10, 2, 29], constant: true, seed: 9, scale: 3, shift: 1);
    }

    [Fact]
    public void Checkpointed_exc_inh_LIF_gives_the_same_spikes_and_gradients()
    {
        var neuron = new CubaExcInhNeuron(new CubaExcInhParameters(5e-3, 20e-3, 10e-3, 20e-3, 0.5), new ArcTan(2));
        Check(neuron, [13, 3, 2 * 19], constant: false, seed: 10, scale: 3, shift: 1);
    }

    [Fact]
    public void Checkpointed_current_based_LIF_matches_on_a_problem_large_enough_to_run_in_parallel() =>
        Check(new CubaLifNeuron(new CubaLifParameters(5e-3, 20e-3, 10e-3, 0.5), new ArcTan(2)), [10, 8, 4100], constant: false, seed: 11, scale: 3, shift: 1);

    [Fact]
    public void Chunk_lengths_and_bad_values()
    {
        Assert.Equal(4, SequenceCheckpoint.Steps(SequenceCheckpoint.Sqrt, 16));
        Assert.Equal(7, SequenceCheckpoint.Steps(SequenceCheckpoint.Sqrt, 40));
        Assert.Equal(0, SequenceCheckpoint.Steps(0, 40));
        Assert.Equal(0, SequenceCheckpoint.Steps(40, 40));
        Assert.Equal(5, SequenceCheckpoint.Steps(5, 40));
        Assert.ThrowsAny<ArgumentException>(() => new LifNeuron() with { TimeChunk = -2 });
        using var net = SpikingNetwork.Create(Architectures.DeepDense(8, 8, 2, new LifNeuron()));
        net.UseTimeChunk(SequenceCheckpoint.Sqrt);
        Assert.All(net.Blocks.OfType<SpikeInit.Layers.SpikingBlock>(), b => Assert.Equal(SequenceCheckpoint.Sqrt, b.Neuron.TimeChunk));
        Assert.DoesNotContain("chunk", ModelStore.ToJson(net.Spec), StringComparison.OrdinalIgnoreCase);
    }
}
