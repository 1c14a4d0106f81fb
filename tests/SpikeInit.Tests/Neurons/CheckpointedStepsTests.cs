using SpikeInit.Layers;

namespace SpikeInit.Tests;

/// <summary>
/// Time checkpointing of the step loop (<see cref="CheckpointedSteps"/>) in every kind of block that runs it: outputs,
/// recorded spikes and membranes, ∂L/∂x and the gradient of every parameter with a chunk must equal those without (float64:
/// to 1e-10 relative; the forward is bit for bit), for chunks that divide T and chunks that do not, T = 1, and chunks ≥ T;
/// a normalization's running statistics must move exactly as without checkpointing (once per step, not again on recomputation).
/// </summary>
public class CheckpointedStepsTests
{
    private sealed record Outcome(Tensor Output, Tensor[] Recorded, Dictionary<string, Tensor> Gradients, Dictionary<string, Tensor> Buffers);

    private static Outcome Run(NetworkSpec spec, Tensor input, int chunk, ScalarType dtype)
    {
        using var net = SpikingNetwork.Create(spec, new Generator(7), dtype);
        net.UseTimeChunk(chunk);
        Tensor leaf = input.detach().to(dtype).requires_grad_(true);
        NetworkRun run = net.Run(leaf, record: Recording.Spikes | Recording.Membranes);
        using var g = new Generator(9);
        run.Output.mul(randn(run.Output.shape, dtype: dtype, generator: g)).sum().backward();
        Tensor[] recorded = [.. run.Layers.SelectMany(l => new[] { l.Spikes, l.Membrane }).OfType<Tensor>().Select(t => t.detach().clone())];
        var gradients = net.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad?.detach().clone() ?? zeros(1, dtype: dtype));
        gradients["input"] = leaf.grad!.detach().clone();
        return new Outcome(run.Output.detach().clone(), recorded, gradients, net.named_buffers().ToDictionary(b => b.name, b => b.buffer.detach().clone()));
    }

    private static void Check(NetworkSpec spec, long[] shape, double scale = 2, ScalarType dtype = ScalarType.Float64, double tolerance = 1e-10)
    {
        using var scope = NewDisposeScope();
        Tensor input = randn(shape, dtype: dtype, generator: new Generator(3)).mul(scale).add(0.3);
        Outcome plain = Run(spec, input, 0, dtype);
        Assert.True(plain.Recorded[0].abs().sum().to(ScalarType.Float64).item<double>() > 0, "no spike in the first layer: the test would not exercise the recurrence");
        int steps = (int)shape[0];
        foreach (int chunk in new[] { 1, 3, 4, SequenceCheckpoint.Sqrt, steps - 1, steps, steps + 5 })
        {
            Outcome c = Run(spec, input, chunk, dtype);
            Assert.True(c.Output.eq(plain.Output).all().item<bool>(), $"output differs with chunk {chunk}");
            for (int i = 0; i < plain.Recorded.Length; i++) Assert.True(c.Recorded[i].eq(plain.Recorded[i]).all().item<bool>(), $"record {i} differs with chunk {chunk}");
            foreach (var (name, expected) in plain.Gradients)
            {
                double scaleOf = Math.Max(expected.abs().max().to(ScalarType.Float64).item<double>(), 1e-30);
                double error = c.Gradients[name].sub(expected).abs().max().to(ScalarType.Float64).item<double>();
                Assert.True(error <= tolerance * scaleOf, $"gradient of {name} differs with chunk {chunk} by {error} (scale {scaleOf})");
            }
            foreach (var (name, expected) in plain.Buffers) Assert.True(c.Buffers[name].eq(expected).all().item<bool>(), $"buffer {name} differs with chunk {chunk}");
        }
    }

    [Fact]
    public void Recurrent_conv1d_blocks_give_the_same_outputs_and_gradients() =>
        Check(NetworkSpec.Builder(2, 12).RecurrentConv1d(3, 3, new CubaLifNeuron(), stride: 2, padding: 1, recurrentKernel: 3, bias: true)
                         .RecurrentConv1d(2, 3, new LifNeuron()).Flatten()
                         .DenseReadout(3, new CubaLifNeuron(new CubaLifParameters(reset: false)), bias: false).WithReadout(Readout.Sequence).Build(), [11, 3, 2, 12]);

    [Fact]
    public void Recurrent_conv1d_blocks_in_float32_give_the_same_outputs_and_gradients() =>
        Check(NetworkSpec.Builder(2, 12).RecurrentConv1d(3, 3, new LifNeuron(), padding: 1, recurrentKernel: 3).Flatten()
                         .DenseReadout(3, new LifNeuron(), bias: false).Build(), [10, 4, 2, 12], dtype: ScalarType.Float32, tolerance: 1e-5);

    [Fact]
    public void Alif_and_learned_lif_in_recurrent_and_dense_blocks_give_the_same_outputs_and_gradients() =>
        Check(NetworkSpec.Builder(5).Recurrent(6, new LifNeuron(new LifParameters(0.9, 1.0, learn: true)))
                         .Dense(4, new AlifNeuron(new AlifParameters(0.8, 0.5, 1.8, 10, learn: true)))
                         .Recurrent(4, new AlifNeuron(new AlifParameters(0.8, 0.5, 1.8, 10)))
                         .DenseReadout(3, new LifNeuron()).Build(), [11, 3, 5]);

    [Fact]
    public void Slstm_and_dale_blocks_give_the_same_outputs_and_gradients()
    {
        Check(NetworkSpec.Builder(4).Slstm(5, new SlstmNeuron()).DenseReadout(3, new LifNeuron()).Build(), [9, 3, 4], scale: 8);
        Check(NetworkSpec.Builder(5).Dale(4, 2, new CubaExcInhNeuron(), recurrent: true)
                         .DenseReadout(3, new CubaLifNeuron(new CubaLifParameters(reset: false)), bias: false).Build(), [10, 3, 5], scale: 4);
    }

    [Fact]
    public void Mpbn_moves_its_running_statistics_once_per_step_with_checkpointing()
    {
        NetworkSpec spec = NetworkSpec.Builder(1, 6, 6).Conv(3, 3, new LifNeuron(), padding: 1).Flatten().Dense(8, new LifNeuron()).DenseReadout(3, new LifNeuron()).Build();
        Check(Architectures.Normalized(spec, new NormSpec(NormKind.Mpbn, Steps: 7)), [7, 4, 1, 6, 6]);
    }

    [Fact]
    public void A_single_step_and_chunks_of_one_step_give_the_same_outputs_and_gradients() =>
        Check(NetworkSpec.Builder(5).Recurrent(6, new AlifNeuron(new AlifParameters(0.8, 0.5, 1.8, 10))).DenseReadout(3, new LifNeuron()).Build(), [1, 3, 5], scale: 4);

    [Fact]
    public void The_memory_estimate_counts_the_step_loop_and_refuses_the_csnn_at_batch_250_unless_checkpointed()
    {
        using var net = SpikingNetwork.Create(Architectures.RecurrentConvolutional(700, 3, 20), new Generator(1));
        long budget = MemoryBudget.Bytes;
        try
        {
            MemoryBudget.Bytes = 8L << 30;
            // measured (NetworkSize's comment): ≈ 400 bytes per neuron-step of the step loop without chunks, 71 with √T chunks
            double plain = NetworkSize.ActivityBytes(net.Spec, 100);
            Assert.InRange(plain / 2080, 400, 420);                                  // 2 080 hidden neurons, plus input and readout
            Assert.Contains("--max-memory", Assert.Throws<ArgumentException>(() => NetworkSize.Require(net.Spec, 250, 100, "training")).Message);
            net.UseTimeChunk(SequenceCheckpoint.Sqrt);
            Assert.InRange(NetworkSize.ActivityBytes(net.Spec, 100) / 2080, 71, 90);
            NetworkSize.Require(net.Spec, 250, 100, "training");
            Assert.Equal(plain, NetworkSize.ActivityBytes(net.Spec, 1));               // T = 1: nothing to chunk
        }
        finally
        {
            MemoryBudget.Bytes = budget;
        }
    }

    /// <summary>The fused recurrent LIF kernel with a chunk against itself without: spikes, ∂L/∂x and ∂L/∂W bit for bit.</summary>
    private static void CheckRecurrentKernel(LifNeuron neuron, long[] shape, int seed)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)seed);
        Tensor input = randn(shape, generator: g).mul(1.2).add(0.4), matrix = randn([shape[2], shape[2]], generator: g).mul(1.5 / Math.Sqrt(shape[2]));
        Tensor weights = randn(shape, generator: g);
        (Tensor S, Tensor GradX, Tensor GradW) Evaluate(int chunk)
        {
            Tensor leaf = input.detach().requires_grad_(true), w = matrix.detach().requires_grad_(true);
            var (s, _) = RecurrentLifSequence.Run(leaf, w, neuron.Parameters, neuron.Surrogate, membrane: false, chunk);
            s.mul(weights).sum().backward();
            return (s.detach(), leaf.grad!.detach(), w.grad!.detach());
        }
        var plain = Evaluate(0);
        Assert.True(shape[0] == 1 || plain.S.mean().item<float>() is > 0.02f and < 0.9f, "the test would not exercise the reset and the recurrence");
        foreach (int chunk in new[] { 1, 2, 3, 4, SequenceCheckpoint.Sqrt, (int)shape[0] - 1, (int)shape[0], (int)shape[0] + 3 })
        {
            if (chunk < 1 && chunk != SequenceCheckpoint.Sqrt) continue;
            var c = Evaluate(chunk);
            Assert.True(c.S.eq(plain.S).all().item<bool>(), $"spikes differ with chunk {chunk}");
            Assert.True(c.GradX.eq(plain.GradX).all().item<bool>(), $"input gradient differs with chunk {chunk} by {c.GradX.sub(plain.GradX).abs().max().item<float>()}");
            Assert.True(c.GradW.eq(plain.GradW).all().item<bool>(), $"matrix gradient differs with chunk {chunk} by {c.GradW.sub(plain.GradW).abs().max().item<float>()}");
        }
    }

    [Theory]
    [MemberData(nameof(FusedKernelTests.Variants), MemberType = typeof(FusedKernelTests))]
    public void The_checkpointed_recurrent_kernel_gives_the_same_spikes_and_gradients(LifReset reset, SpikeCondition condition, bool detach, double gain)
    {
        var neuron = new LifNeuron(new LifParameters(0.8, 1.0, reset, new SpikeOptions(condition, detach), gain), new ArcTan(2));
        CheckRecurrentKernel(neuron, [11, 3, 37], seed: 31);      // T = 11: chunks 2, 3, 4, 10 leave a ragged last chunk
        CheckRecurrentKernel(neuron, [1, 2, 29], seed: 32);       // T = 1: nothing to chunk
    }

    [Fact]
    public void The_checkpointed_recurrent_kernel_matches_on_a_problem_large_enough_to_run_in_parallel()
    {
        var neuron = new LifNeuron(new LifParameters(0.9, 1.0, LifReset.ZeroAfterInput), new ArcTan(2));
        CheckRecurrentKernel(neuron, [9, 33, 257], seed: 33);
        CheckRecurrentKernel(neuron, [9, 37, 192], seed: 34);     // whole tiles: ∂L/∂W summed by bands of samples
    }

    [Fact]
    public void Checkpointed_batches_leave_no_native_tensors_behind()
    {
        // Every tensor the blocks list is read by their steps here: a listed tensor that is not (the feed-forward weights of
        // a recurrent conv block) gets an undefined gradient, a wrapper without native memory that the scope statistics
        // count as live all the same.
        using var net = SpikingNetwork.Create(NetworkSpec.Builder(5).Recurrent(6, new LifNeuron(new LifParameters(0.9, 1.0, learn: true)))
                                                         .Dense(3, new AlifNeuron()).Build(), new Generator(1));
        net.UseTimeChunk(SequenceCheckpoint.Sqrt);
        using var generator = new Generator(2);
        long Live() => TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long? afterWarmUp = null;
        for (int batch = 0; batch < 8; batch++)
        {
            using (NewDisposeScope())
            {
                net.Run(randn([9, 4, 5], generator: generator).mul(3)).Output.square().sum().backward();
                net.zero_grad();
            }
            if (batch == 2) afterWarmUp = Live();
        }
        Assert.Equal(afterWarmUp, Live());
    }
}
