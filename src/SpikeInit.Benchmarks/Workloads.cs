using System.Numerics;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using SpikeInit.Layers;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using SpikeInit.Runtime;
using SpikeInit.Surrogates;
using SpikeInit.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Benchmarks;

/// <summary>
/// The reference workloads of docs/BENCHMARKS.md (W0 GEMM, W1 probe sweep, W2 MLP training step, W3 conv training
/// step; W1–W3 with the bench's LIF neuron: <c>h = βv + x</c>, <c>s = H(h − θ)</c> with H(0) = 1, <c>v = h − θs</c>, arctan α = 2,
/// gradient through the reset — SpikeInit's <see cref="LifReset.SubtractBeforeDecay"/> with <c>u ≥ θ</c>; W4 stork's current-based and W5
/// Herranz-Celotti's recurrent training step, with their own neurons). Data and model construction are never timed.
/// </summary>
public static class Workloads
{
    /// <summary>Every workload, in the order <c>bench --workload all</c> runs them.</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        new("W0", "sgemm", () => Gemm()),
        new("W1", "probe sweep", () => Probe()),
        new("W2", "MLP training step", () => TrainMlp()),
        new("W3", "conv training step", () => TrainConv()),
        new("W4", "stork's current-based LIF training step", () => TrainCuba()),
        new("W5", "recurrent LIF training step", () => TrainRecurrent()),
    ];

    /// <summary>The workload called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No workload has that name (the message lists them).</exception>
    public static Workload Find(string name) =>
        All.FirstOrDefault(w => string.Equals(w.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"workload = '{name}' is not one of {string.Join(", ", All.Select(w => w.Name))}", nameof(name));

    /// <summary>The bench neuron with leak β.</summary>
    public static LifNeuron BenchNeuron(double beta) =>
        new(new LifParameters(beta, 1.0, LifReset.SubtractBeforeDecay, new SpikeOptions(SpikeCondition.GreaterOrEqual)), new ArcTan(2));

    private static List<double> Time(int warmups, int repeats, Action body)
    {
        for (int i = 0; i < warmups; i++) body();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            body();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return times;
    }

    /// <summary>
    /// W0: C = A·B with 1000 × 1000 float32 matrices; 5 warm-ups, 50 timed calls of libtorch's <c>matmul</c> (the peers'
    /// figure), and as many of SpikeInit's own dense kernel (its layers' dense path, <see cref="SpikeLinear.Apply"/> with
    /// the event-driven path off; packing included): <c>own_gflops</c>.
    /// </summary>
    public static BenchResult Gemm(int repeats = 50)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(0);
        Tensor a = randn([1000, 1000], generator: g), b = randn([1000, 1000], generator: g), bt = b.t().contiguous();
        List<double> t = Time(5, repeats, () => { using var s = NewDisposeScope(); a.matmul(b).sum().item<float>(); });
        List<double> own = Time(5, repeats, () => { using var s = NewDisposeScope(); SpikeLinear.Apply(a, bt, null, 0, long.MaxValue).sum().item<float>(); });
        double median = new BenchResult("W0", t, []).Median, ownMedian = new BenchResult("W0", own, []).Median;
        return new BenchResult("W0", t, new JsonObject { ["gflops"] = 2e9 / median / 1e9, ["own_gflops"] = 2e9 / ownMedian / 1e9, ["own_median_s"] = ownMedian });
    }

    /// <summary>
    /// W1: 100 layers × 1000 LIF, batch 16, T = 20, β = 0.5, θ = 1, weights N(0, 1/(n·P)), constant N(0, 1) input into
    /// layer 0; per (layer, step) the population variance of v and the spike count. Layer-major evaluation.
    /// </summary>
    public static BenchResult Probe(int repeats = 7)
    {
        const int layers = 100, n = 1000, batch = 16, steps = 20;
        NetworkSpec spec = Architectures.DeepDense(n, n, layers - 1, BenchNeuron(0.5), encoder: true);
        using var g = new Generator(1);
        using var net = SpikingNetwork.Create(spec, g);
        double sigma = Math.Sqrt(1.0 / (n * Theory.Gaussian.FiringProbability(1.0)));
        using (no_grad())
            foreach (Block block in net.Blocks)
                if (block is DenseBlock d) d.Weight.normal_(0, sigma, g);
        Tensor input = randn([batch, n], generator: g).DetachFromDisposeScope();
        var variance = new double[layers, steps];
        var spikes = new double[layers, steps];
        List<double> t = Time(1, repeats, () =>
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            Tensor sequence = input.expand(steps, batch, n);
            for (int l = 0; l < layers; l++)
            {
                using var layer = NewDisposeScope();       // only the next layer's input outlives its layer: memory is reused
                BlockRun run = net.Blocks[l].Run(sequence, recordMembrane: true);
                StepStatistics(run.Membrane!, run.Spikes!, l, variance, spikes);
                sequence = run.Output.MoveToOuterDisposeScope();
            }
        });
        double total = 0;
        foreach (double c in spikes) total += c;
        return new BenchResult("W1", t, new JsonObject
        {
            ["loop_order"] = "layer-major",
            ["var_v_layer0_last"] = variance[0, steps - 1], ["var_v_layer50_last"] = variance[50, steps - 1], ["var_v_layer99_last"] = variance[99, steps - 1],
            ["total_spikes"] = total, ["gemm_gflop"] = 63.4,
        });
    }

    /// <summary>
    /// Per step t of one layer: the population variance of v = u − θ·s (θ = 1) over the B·n neurons and the spike count,
    /// in one host pass over u and s per step (float64 sums; the steps in parallel).
    /// </summary>
    private static void StepStatistics(Tensor membrane, Tensor spikes, int layer, double[,] variance, double[,] count)
    {
        int steps = (int)membrane.shape[0], n = (int)(membrane.numel() / steps);
        Tensor u = membrane.contiguous(), s = spikes.contiguous();
        Parallel.For(0, steps, new ParallelOptions { MaxDegreeOfParallelism = get_num_threads() }, t =>
        {
            ReadOnlySpan<float> ut = MemoryMarshal.Cast<byte, float>(u.bytes).Slice(t * n, n), st = MemoryMarshal.Cast<byte, float>(s.bytes).Slice(t * n, n);
            // v = u − s summed in double lanes (the float differences widened), spikes counted in float lanes (exact: at most n / lanes per lane)
            Vector<double> sums = Vector<double>.Zero, squares2 = Vector<double>.Zero;
            Vector<float> firedLanes = Vector<float>.Zero;
            int j = 0, w = Vector<float>.Count;
            for (; j <= n - w; j += w)
            {
                Vector<float> sv = new(st[j..]), dv = new Vector<float>(ut[j..]) - sv;
                Vector.Widen(dv, out Vector<double> lo, out Vector<double> hi);
                sums += lo + hi;
                squares2 += lo * lo + hi * hi;
                firedLanes += sv;
            }
            double sum = Vector.Sum(sums), squares = Vector.Sum(squares2), fired = Vector.Sum(firedLanes);
            for (; j < n; j++)
            {
                double v = ut[j] - st[j];
                sum += v;
                squares += v * v;
                fired += st[j];
            }
            double mean = sum / n;
            variance[layer, t] = Math.Max(squares / n - mean * mean, 0);
            count[layer, t] = fired;
        });
    }

    /// <summary>
    /// The process's peak resident memory in MiB since the last <see cref="ResetPeakMemory"/> (Linux <c>VmHWM</c>; null
    /// elsewhere).
    /// </summary>
    public static double? PeakMemoryMiB() => StatusMiB("VmHWM:");

    /// <summary>The process's current resident memory in MiB (Linux <c>VmRSS</c>; null elsewhere).</summary>
    public static double? ResidentMemoryMiB() => StatusMiB("VmRSS:");

    private static double? StatusMiB(string field)
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return null;
        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        return line is null ? null : double.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Resets the peak to the current resident memory (Linux <c>clear_refs</c> 5); false where not possible.</summary>
    public static bool ResetPeakMemory()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// BPTT memory against T: one W3 training step (same net, batch 32) at each T in increasing order, the peak resident
    /// memory after each, and the least-squares slope in MiB per step and bytes per neuron and step (the heap keeps freed
    /// memory, so each peak is the largest step so far: increasing T isolates the growth).
    /// </summary>
    public static BenchResult MemoryScaling(int[]? steps = null)
    {
        steps ??= [5, 10, 20, 40];
        // Checkpointed first: glibc keeps freed memory, so a series after the larger one would only see its peak.
        JsonObject checkpointed = MemorySeries(steps, SequenceCheckpoint.Sqrt, out _);
        JsonObject plain = MemorySeries(steps, 0, out List<double> times);
        plain["with_time_chunk_sqrt"] = checkpointed;
        plain["note"] = "the series without checkpointing runs second in the process: its peaks are floored by the checkpointed series' largest; run it alone for its slope";
        return new BenchResult("W3-memory", times, plain);
    }

    /// <summary>One W3 step per T (increasing) under time chunk <paramref name="chunk"/>: peaks, slope, bytes per neuron-step.</summary>
    private static JsonObject MemorySeries(int[] steps, int chunk, out List<double> times)
    {
        var peaks = new JsonArray();
        var points = new List<(double T, double MiB)>();
        times = [];
        foreach (int t in steps.Order())
        {
            ResetPeakMemory();
            BenchResult r = TrainConvSteps(t, warmups: 1, repeats: 1, chunk);
            double peak = PeakMemoryMiB() ?? double.NaN;
            points.Add((t, peak));
            times.Add(r.Median);
            peaks.Add(new JsonObject { ["steps"] = t, ["peak_rss_mib"] = peak, ["step_s"] = r.Median });
        }
        double mt = points.Average(p => p.T), mm = points.Average(p => p.MiB);
        double slope = points.Sum(p => (p.T - mt) * (p.MiB - mm)) / points.Sum(p => (p.T - mt) * (p.T - mt));
        const double neuronsPerStep = 32.0 * (32 * 28 * 28 + 32 * 14 * 14 + 500 + 100 + 10);
        return new JsonObject
        {
            ["time_chunk"] = chunk == SequenceCheckpoint.Sqrt ? "sqrt" : chunk.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["points"] = peaks, ["mib_per_step"] = slope, ["bytes_per_neuron_step"] = slope * 1024 * 1024 / neuronsPerStep,
            ["intercept_mib"] = mm - slope * mt,
        };
    }

    /// <summary>W2: 784 → 10 × 600 → 10 LIF MLP, T = 3, batch 128, Adam 1e-3; one full training step.</summary>
    public static BenchResult TrainMlp(int repeats = 20)
    {
        var b = NetworkSpec.Builder(784);
        LifNeuron neuron = BenchNeuron(0.5);
        for (int i = 0; i < 10; i++) b.Dense(600, neuron, bias: true);
        NetworkSpec spec = b.Dense(10, neuron, bias: true).Build();
        return TrainStep("W2", spec, [128, 784], 3, 3, repeats);
    }

    /// <summary>W3: Ding's conv net with the bench LIF (β = 0.8), T = 20, batch 32; one full training step.</summary>
    public static BenchResult TrainConv(int repeats = 10) => TrainConvSteps(20, 2, repeats);

    private static BenchResult TrainConvSteps(int steps, int warmups, int repeats, int timeChunk = 0) =>
        TrainStep("W3", Architectures.DingConvMnist(BenchNeuron(0.8) with { TimeChunk = timeChunk }), [32, 1, 28, 28], steps, warmups, repeats);

    private static BenchResult TrainStep(string name, NetworkSpec spec, long[] shape, int steps, int warmups, int repeats)
    {
        using var g = new Generator(2);
        using var net = SpikingNetwork.Create(spec, g);
        Tensor x = randn(shape, generator: g).DetachFromDisposeScope();
        Tensor y = randint(0, 10, [shape[0]], generator: g).DetachFromDisposeScope();
        return Train(name, net.parameters(), () => net.Run(x, steps).Output, y, steps, warmups, repeats);
    }

    /// <summary>
    /// W4: stork's current-based network, 700 → 3 × 256 CUBA LIF → 20 leaky readout (max over time), no biases,
    /// W ~ N(0, 36/fan_in), T = 100, batch 64, Bernoulli(0.02) input spikes, Adam 1e-3; one full training step.
    /// <paramref name="fastPath"/> false steps the kernel (the reference path).
    /// </summary>
    public static BenchResult TrainCuba(int repeats = 10, bool fastPath = true)
    {
        const int steps = 100, batch = 64, inputs = 700, width = 256, classes = 20;
        var hidden = new CubaLifNeuron() with { FastPath = fastPath };
        var readout = new CubaLifNeuron(new CubaLifParameters(reset: false)) with { FastPath = fastPath };
        var b = NetworkSpec.Builder(inputs);
        for (int l = 0; l < 3; l++) b.Dense(width, hidden, bias: false);
        NetworkSpec spec = b.DenseReadout(classes, readout, bias: false).WithReadout(Readout.MaxOverTime).Build();
        using var g = new Generator(4);
        using var net = SpikingNetwork.Create(spec, g);
        using (no_grad())
            foreach (Block block in net.Blocks)
                if (block is DenseBlock d) d.Weight.normal_(0, 6 / Math.Sqrt(d.Weight.shape[1]), g);
        Tensor x = Bernoulli([steps, batch, inputs], 0.02, g);
        Tensor y = randint(0, classes, [batch], generator: g).DetachFromDisposeScope();
        double rate;
        using (no_grad())
        using (NewDisposeScope())
            rate = net.Run(x, record: Recording.Spikes).Layers.Take(3).Average(l => l.Spikes!.mean().item<float>());
        BenchResult r = Train("W4", net.parameters(), () => net.Run(x).Output, y, steps, 2, repeats);
        r.Extra["hidden_rate_at_init"] = rate;
        r.Extra["fast_path"] = fastPath;
        return r;
    }

    /// <summary>
    /// W5: Herranz-Celotti &amp; Rouat's recurrent LIF, 100 → 2 × 256 recurrent (α = 0.9, θ = 1, subtractive reset one step
    /// later with its gradient, fast sigmoid 1/(1 + |u − θ|)²) → logits = mean over t of the last layer's u, times W_outᵀ
    /// plus b_out; W_in ~ N(0, 4/fan_in), W_rec ~ N(0, 1/256) with zero diagonal, W_out ~ N(0, 1/256), biases 0; T = 100,
    /// batch 128, Bernoulli(0.05) input spikes, Adam 1e-3; one full training step.
    /// </summary>
    public static BenchResult TrainRecurrent(int repeats = 10, bool fastPath = true)
    {
        const int steps = 100, batch = 128, inputs = 100, width = 256, classes = 10;
        var neuron = new LifNeuron(new LifParameters(0.9, 1.0, LifReset.SubtractNextStep), new SuperSpike(1.0)) with { FastPath = fastPath };
        using var g = new Generator(5);
        using var first = new RecurrentBlock("rec0", inputs, width, neuron, true, ScalarType.Float32, g);
        using var second = new RecurrentBlock("rec1", width, width, neuron, true, ScalarType.Float32, g);
        var readout = new Parameter(zeros(classes, width));
        var readoutBias = new Parameter(zeros(classes));
        using (no_grad())
        {
            foreach (RecurrentBlock block in new[] { first, second })
            {
                block.Weight.normal_(0, 2 / Math.Sqrt(block.Weight.shape[1]), g);
                block.RecurrentWeight.normal_(0, 1.0 / 16, g).diagonal().zero_();
                block.Bias!.zero_();
            }
            readout.normal_(0, 1.0 / 16, g);
        }
        Tensor x = Bernoulli([steps, batch, inputs], 0.05, g);
        Tensor y = randint(0, classes, [batch], generator: g).DetachFromDisposeScope();
        Tensor Logits(out Tensor s0, out Tensor s1)
        {
            BlockRun a = first.Run(x, recordMembrane: false);
            BlockRun b = second.Run(a.Output, recordMembrane: true);
            (s0, s1) = (a.Spikes!, b.Spikes!);
            return nn.functional.linear(b.Membrane!.mean([0]), readout, readoutBias);
        }
        double rate0, rate1;
        using (no_grad())
        using (NewDisposeScope())
        {
            Logits(out Tensor s0, out Tensor s1);
            (rate0, rate1) = (s0.mean().item<float>(), s1.mean().item<float>());
        }
        Parameter[] parameters = [.. first.parameters(), .. second.parameters(), readout, readoutBias];
        BenchResult r = Train("W5", parameters, () => Logits(out _, out _), y, steps, 2, repeats);
        r.Extra["rate_at_init_layer0"] = rate0;
        r.Extra["rate_at_init_layer1"] = rate1;
        r.Extra["fast_path"] = fastPath;
        return r;
    }

    private static Tensor Bernoulli(long[] shape, double p, Generator g)
    {
        using var scope = NewDisposeScope();
        return rand(shape, generator: g).lt(p).to(ScalarType.Float32).DetachFromDisposeScope();
    }

    /// <summary>
    /// Times training steps (zero grads, forward, loss, backward, Adam 1e-3, reading the loss): median and phases, the
    /// samples per second and the growth of resident memory.
    /// </summary>
    private static BenchResult Train(string name, IEnumerable<Parameter> parameters, Func<Tensor> run, Tensor y, int steps, int warmups, int repeats)
    {
        long[] shape = y.shape;
        var optimizer = new AdamOptimizer(parameters, 1e-3);
        double loss = 0, outputSpikes = 0;
        ResetPeakMemory();
        double? before = ResidentMemoryMiB();      // freed memory stays in the process: the growth is peak − before
        var phases = new List<double[]>();
        List<double> t = Time(warmups, repeats, () =>
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            optimizer.ZeroGrad();
            Tensor logits = run();
            Tensor l = Losses.CrossEntropy(logits, y);
            double forward = clock.Elapsed.TotalSeconds;
            l.backward();
            double backward = clock.Elapsed.TotalSeconds;
            optimizer.Step();
            double step = clock.Elapsed.TotalSeconds;
            loss = l.item<float>();
            outputSpikes = logits.sum().item<float>();
            phases.Add([forward, backward - forward, step - backward]);
        });
        double median = new BenchResult(name, t, []).Median;
        double Phase(int k) => new BenchResult(name, [.. phases.Skip(warmups).Select(p => p[k])], []).Median;
        return new BenchResult(name, t, new JsonObject
        {
            ["samples_per_s"] = shape[0] / median, ["batch"] = shape[0], ["steps"] = steps, ["loss"] = loss, ["output_spikes"] = outputSpikes,
            ["forward_s"] = Phase(0), ["backward_s"] = Phase(1), ["optimizer_s"] = Phase(2), ["peak_rss_mib"] = PeakMemoryMiB(), ["rss_before_mib"] = before,
        });
    }
}
