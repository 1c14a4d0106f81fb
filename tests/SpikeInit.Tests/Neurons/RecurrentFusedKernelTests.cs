namespace SpikeInit.Tests;

/// <summary>
/// Parity of the fused recurrent LIF layer (<see cref="RecurrentLifSequence"/>) with the step loop (<see cref="Lif.Step"/>
/// on <c>x_t + s_{t−1}·Wᵀ</c> as the library's step loop computes it, event-driven or GEMM by the same rule, differentiated by autograd): spikes and membranes bit for bit, the gradients of the
/// currents and of the recurrent matrix to float32 rounding.
/// </summary>
public class RecurrentFusedKernelTests
{
    private static LifNeuron Lif(LifReset reset, SpikeCondition condition, bool detach, double gain) =>
        new(new LifParameters(0.8, 1.0, reset, new SpikeOptions(condition, detach), gain), new ArcTan(2));

    private static void CheckParity(Neuron neuron, long[] shape, bool constantInput, int seed)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        long units = shape[2];
        Tensor baseInput = constantInput ? randn(shape[1..], generator: g) * 1.2 + 0.4 : randn(shape, generator: g) * 1.2 + 0.4;
        Tensor baseWeight = randn([units, units], generator: g) * (1.5 / Math.Sqrt(units));
        Tensor ws = randn(shape, generator: g), wu = randn(shape, generator: g);

        (Tensor S, Tensor U, Tensor GradX, Tensor GradW) Evaluate(bool fast)
        {
            Tensor leaf = baseInput.detach().requires_grad_(true), weight = baseWeight.detach().requires_grad_(true);
            Tensor x = constantInput ? leaf.unsqueeze(0).expand(shape) : leaf;
            var (s, u) = fast
                ? neuron.RecurrentSequence(x, weight, membrane: true)
                : SpikeInit.Neurons.Neuron.Steps(neuron, x, membrane: true, spikes => SpikeInit.Runtime.SpikeLinear.Apply(spikes, weight, null));
            (s * ws).sum().add((u! * wu).sum()).backward();
            return (s.detach(), u!.detach(), leaf.grad!.detach(), weight.grad!.detach());
        }

        var fused = Evaluate(fast: true);
        var reference = Evaluate(fast: false);
        Assert.True(fused.S.eq(reference.S).all().item<bool>(), "spikes differ");
        Assert.True(fused.U.eq(reference.U).all().item<bool>(), $"membranes differ by {(fused.U - reference.U).abs().max().item<float>()} at {(fused.U - reference.U).abs().argmax().item<long>()} of {shape[0]}x{shape[1]}x{shape[2]}");
        double rate = reference.S.mean().item<float>();
        Assert.True(rate is > 0.02 and < 0.9, $"firing rate {rate}: the test would not exercise the reset and the recurrence");
        foreach (var (name, a, b) in new[] { ("input", fused.GradX, reference.GradX), ("recurrent weight", fused.GradW, reference.GradW) })
        {
            double scale = b.abs().max().item<float>();
            double error = (a - b).abs().max().item<float>();
            Assert.True(scale > 0, $"no {name} gradient");
            Assert.True(error <= 2e-5 * Math.Max(scale, 1), $"{name} gradient differs by {error} (scale {scale})");
        }
    }

    [Theory]
    [MemberData(nameof(FusedKernelTests.Variants), MemberType = typeof(FusedKernelTests))]
    public void Fused_recurrent_LIF_matches_the_step_loop_in_values_and_gradients(LifReset reset, SpikeCondition condition, bool detach, double gain)
    {
        LifNeuron neuron = Lif(reset, condition, detach, gain);
        CheckParity(neuron, [7, 3, 37], constantInput: false, seed: 21);     // B·N = 111: ragged last vector
        CheckParity(neuron, [5, 2, 29], constantInput: true, seed: 22);      // constant input, time stride 0
    }

    [Fact]
    public void Fused_recurrent_LIF_matches_on_a_problem_large_enough_to_run_in_parallel()
    {
        // Bands of samples whose boundaries fall inside a vector (67 · 1001 / 2), and whole tiles (∂L/∂W summed by band).
        CheckParity(Lif(LifReset.ZeroAfterInput, SpikeCondition.Greater, false, 1.0), [4, 67, 1001], constantInput: false, seed: 23);
        CheckParity(Lif(LifReset.SubtractNextStep, SpikeCondition.GreaterOrEqual, false, 1.0), [5, 71, 192], constantInput: false, seed: 24);
    }

    [Fact]
    public void Recurrent_network_gives_the_same_output_and_gradients_fused_or_stepped()
    {
        NetworkSpec Spec(bool fast) => Architectures.ShallowRecurrent(13, 21, 4, neuron:
            new LifNeuron(new LifParameters(0.9, 1.0, LifReset.SubtractNextStep), new NormalizedSurrogate(SurrogateShape.FastSigmoid)) with { FastPath = fast });
        using var g0 = new Generator(24);
        Tensor x = (rand([25, 5, 13], generator: g0) < 0.3).to(ScalarType.Float32);
        FusedKernelTests.CheckNetworkParity(Spec, x, seed: 25, gain: 3, spikingLayer: 1);
    }
}
