namespace SpikeInit.Tests;

/// <summary>
/// Parity of the fused multi-step LIF kernel (<see cref="LifSequence"/>) with the reference: <see cref="Lif.Step"/> once
/// per step, differentiated by autograd. Forward values must match bit for bit (same float32 operations in the same
/// order); input gradients to float32 rounding.
/// </summary>
public class FusedKernelTests
{
    public static TheoryData<LifReset, SpikeCondition, bool, double> Variants()
    {
        var data = new TheoryData<LifReset, SpikeCondition, bool, double>();
        foreach (LifReset reset in Enum.GetValues<LifReset>())
            foreach (SpikeCondition condition in Enum.GetValues<SpikeCondition>())
                foreach (bool detach in new[] { false, true })
                    data.Add(reset, condition, detach, reset == LifReset.ZeroBeforeDecay ? 0.7 : 1.0);
        return data;
    }

    private static LifNeuron Lif(LifReset reset, SpikeCondition condition, bool detach, double gain, Surrogate? surrogate = null, double beta = 0.8) =>
        new(new LifParameters(beta, 1.0, reset, new SpikeOptions(condition, detach), gain), surrogate ?? new ArcTan(2));

    /// <summary>
    /// Runs both paths on the same currents and checks spikes, membranes and ∂L/∂x for a loss that weights every spike and
    /// membrane value differently (so every output gradient is exercised).
    /// </summary>
    internal static void CheckParity(Neuron neuron, long[] shape, bool constantInput, int seed, bool spiking = true)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        Tensor baseInput = constantInput ? randn(shape[1..], generator: g) * 1.5 + 0.5 : randn(shape, generator: g) * 1.5 + 0.5;
        long[] outputShape = [.. shape];
        outputShape[2] /= neuron.CurrentsPerNeuron;        // an E/I neuron takes [T, B, 2N, …] and fires [T, B, N, …]
        Tensor ws = randn(outputShape, generator: g), wu = randn(outputShape, generator: g);

        (Tensor S, Tensor U, Tensor Grad) Evaluate(bool fast)
        {
            Tensor leaf = baseInput.detach().requires_grad_(true);
            Tensor x = constantInput ? leaf.unsqueeze(0).expand(shape) : leaf;
            var (s, u) = fast ? neuron.Sequence(x, membrane: true) : SpikeInit.Neurons.Neuron.Steps(neuron, x, membrane: true);
            (s * ws).sum().add((u! * wu).sum()).backward();
            return (s.detach(), u!.detach(), leaf.grad!.detach());
        }

        var fused = Evaluate(fast: true);
        var reference = Evaluate(fast: false);
        Assert.True(fused.S.eq(reference.S).all().item<bool>(), "spikes differ");
        Assert.True(fused.U.eq(reference.U).all().item<bool>(), "membranes differ");
        Assert.True(!spiking || reference.S.sum().item<float>() > 0, "no spike: the test would not exercise the reset");
        double scale = reference.Grad.abs().max().item<float>();
        double error = (fused.Grad - reference.Grad).abs().max().item<float>();
        Assert.True(error <= 2e-5 * Math.Max(scale, 1), $"gradient differs by {error} (scale {scale})");
    }

    /// <summary>
    /// Runs a network built with the fast paths on and off (<paramref name="spec"/>(fast)) on <paramref name="x"/> with the
    /// same weights (seeded by <paramref name="seed"/>, scaled by <paramref name="gain"/> so that it spikes) and checks that
    /// the outputs match bit for bit and every parameter gradient to 1e-4 of its scale; layer <paramref name="spikingLayer"/>
    /// must spike and every parameter must get a gradient.
    /// </summary>
    internal static void CheckNetworkParity(Func<bool, NetworkSpec> spec, Tensor x, ulong seed, double gain, int spikingLayer)
    {
        (Tensor Output, Tensor[] Grads, double Spikes) Evaluate(bool fast)
        {
            using var g = new Generator(seed);
            using var net = SpikingNetwork.Create(spec(fast), g);
            using (no_grad())
                foreach (var p in net.parameters()) p.mul_(gain);
            NetworkRun run = net.Run(x, record: Recording.Spikes);
            (run.Output * arange(run.Output.shape[^1], dtype: ScalarType.Float32)).sum().backward();
            return (run.Output.detach(), [.. net.parameters().Select(p => p.grad!.detach().clone())], run.Layers[spikingLayer].Spikes!.sum().item<float>());
        }
        var fast = Evaluate(true);
        var plain = Evaluate(false);
        Assert.True(plain.Spikes > 0, "silent network: the test would not exercise the kernel");
        Assert.True((fast.Output - plain.Output).abs().max().item<float>() == 0, "outputs differ");
        for (int i = 0; i < plain.Grads.Length; i++)
        {
            double scale = plain.Grads[i].abs().max().item<float>();
            double error = (fast.Grads[i] - plain.Grads[i]).abs().max().item<float>();
            Assert.True(scale > 0, $"parameter {i}: no gradient");
            Assert.True(error <= 1e-4 * Math.Max(scale, 1e-3), $"parameter {i}: gradient differs by {error} (scale {scale})");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Fused_LIF_matches_the_step_kernel_in_values_and_gradients(LifReset reset, SpikeCondition condition, bool detach, double gain)
    {
        LifNeuron neuron = Lif(reset, condition, detach, gain);
        CheckParity(neuron, [7, 3, 37], constantInput: false, seed: 1);      // 111 neurons: a ragged last vector
        CheckParity(neuron, [5, 4, 29], constantInput: true, seed: 2);       // constant input, time stride 0
    }

    [Fact]
    public void Fused_LIF_matches_on_a_problem_large_enough_to_run_in_parallel()
    {
        // 4 · 8 · 4100 · 4 = 524,800 element-steps: above the serial limit, several workers, last chunk ragged.
        CheckParity(Lif(LifReset.SubtractBeforeDecay, SpikeCondition.GreaterOrEqual, false, 1.0), [4, 8, 4100], constantInput: false, seed: 3);
        CheckParity(Lif(LifReset.ZeroAfterInput, SpikeCondition.Greater, false, 1.0), [4, 8, 4100], constantInput: true, seed: 4);
    }

    [Fact]
    public void Fused_k_lambda_matches_its_step_kernel()
    {
        var neuron = new KLambdaNeuron(new KLambdaParameters(0.8, 0.2, 1.0));
        CheckParity(neuron, [9, 2, 50], constantInput: false, seed: 5);
    }

    public static TheoryData<string> Surrogates() => [.. SurrogateCases().Keys];

    private static Dictionary<string, Surrogate> SurrogateCases()
    {
        var cases = new Dictionary<string, Surrogate>
        {
            ["arctan"] = new ArcTan(2), ["sigmoid"] = new SigmoidSurrogate(3), ["tanh"] = new TanhSurrogate(2),
            ["hardtanh"] = new HardTanh(1.5), ["superspike"] = new SuperSpike(10, rescaled: true), ["custom"] = new Quadratic(),
        };
        foreach (SurrogateShape shape in Enum.GetValues<SurrogateShape>())
            cases[shape.ToString()] = new NormalizedSurrogate(shape, 0.7, 2.5, 1.8);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Surrogates))]
    public void Host_surrogate_derivative_equals_the_tensor_derivative(string name)
    {
        Surrogate surrogate = SurrogateCases()[name];
        float[] x = [.. Enumerable.Range(0, 403).Select(i => (i - 201) / 50f)];     // [−4.02, 4.02], includes 0 and ±0.2
        var host = new float[x.Length];
        surrogate.Derivative(x, host);
        float[] reference = surrogate.Derivative(tensor(x)).data<float>().ToArray();
        for (int i = 0; i < x.Length; i++)
            Assert.True(Math.Abs(host[i] - reference[i]) <= 1e-6 * Math.Max(1, Math.Abs(reference[i])), $"{name} at x = {x[i]}: host {host[i]}, tensor {reference[i]}");
    }

    [Fact]
    public void Fused_LIF_with_a_custom_surrogate_uses_its_tensor_derivative() =>
        CheckParity(Lif(LifReset.SubtractNextStep, SpikeCondition.Greater, false, 1.0, new Quadratic()), [6, 2, 30], constantInput: false, seed: 6);

    [Fact]
    public void Without_gradients_the_fused_path_returns_the_same_spikes_and_membranes()
    {
        LifNeuron neuron = Lif(LifReset.SubtractNextStep, SpikeCondition.Greater, false, 1.0);
        using var g = new Generator(7);
        Tensor x = randn([6, 3, 40], generator: g) * 2;
        using var noGrad = no_grad();
        var (s1, u1) = neuron.Sequence(x, membrane: true);
        var (s2, u2) = SpikeInit.Neurons.Neuron.Steps(neuron, x, membrane: true);
        Assert.True(s1.eq(s2).all().item<bool>());
        Assert.True(u1!.eq(u2!).all().item<bool>());
        Assert.Null(neuron.Sequence(x, membrane: false).Membrane);
    }

    [Fact]
    public void Conv_network_with_a_static_input_gives_the_same_output_and_gradients_fused_or_stepped()
    {
        // The network-level fast paths together: the static input's connection computed once (time stride 0) and the
        // fused LIF, against the plain path (FastPath off: input copied T times, kernel stepped).
        NetworkSpec Spec(bool fast) => NetworkSpec.Builder(1, 12, 12)
            .Conv(4, 3, Lif(LifReset.SubtractBeforeDecay, SpikeCondition.GreaterOrEqual, false, 1.0) with { FastPath = fast }, padding: 1).MaxPool(2)
            .Flatten().Dense(10, Lif(LifReset.SubtractBeforeDecay, SpikeCondition.GreaterOrEqual, false, 1.0) with { FastPath = fast }).Build();
        using var g0 = new Generator(8);
        Tensor x = randn([5, 1, 12, 12], generator: g0) * 3;
        (Tensor Output, Tensor[] Grads) Evaluate(bool fast)
        {
            using var g = new Generator(9);
            using var net = SpikingNetwork.Create(Spec(fast), g);
            Tensor y = net.Run(x, 6).Output;
            (y * arange(10, dtype: ScalarType.Float32)).sum().backward();
            return (y.detach(), [.. net.parameters().Select(p => p.grad!.detach().clone())]);
        }
        var fast = Evaluate(true);
        var plain = Evaluate(false);
        Assert.True(plain.Output.sum().item<float>() > 0, "silent network: the test would not exercise the kernel");
        Assert.True((fast.Output - plain.Output).abs().max().item<float>() == 0, "outputs differ");
        for (int i = 0; i < plain.Grads.Length; i++)
        {
            double scale = plain.Grads[i].abs().max().item<float>();
            double error = (fast.Grads[i] - plain.Grads[i]).abs().max().item<float>();
            Assert.True(error <= 1e-4 * Math.Max(scale, 1e-3), $"parameter {i}: gradient differs by {error} (scale {scale})");
        }
    }

    /// <summary>A surrogate outside SpikeInit: h'(x) = max(0, 1 − x²), exercising the default host derivative.</summary>
    private sealed record Quadratic : Surrogate
    {
        public override string Name => "quadratic";
        public override double Peak => 1;
        public override double Area => 4.0 / 3;
        public override Tensor Derivative(Tensor x) => (1 - x.square()).clamp_min(0);
        public override Tensor Primitive(Tensor x) => x.clamp(-1, 1);
    }
}
