using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using SpikeInit.Layers;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using SpikeInit.Surrogates;
using SpikeInit.Training;
using static TorchSharp.torch;

namespace SpikeInit.Benchmarks;

/// <summary>
/// The reference workloads of docs/BENCHMARKS.md (W0 GEMM, W1 probe sweep, W2 MLP training step, W3 conv training
/// step), with the bench's LIF neuron: <c>h = βv + x</c>, <c>s = H(h − θ)</c> with H(0) = 1, <c>v = h − θs</c>, arctan α = 2,
/// gradient through the reset — SpikeInit's <see cref="LifReset.SubtractBeforeDecay"/> with <c>u ≥ θ</c>. Data and model
/// construction are never timed.
/// </summary>
public static class Workloads
{
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

    /// <summary>W0: C = A·B with 1000 × 1000 float32 matrices; 5 warm-ups, 50 timed calls.</summary>
    public static BenchResult Gemm(int repeats = 50)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(0);
        Tensor a = randn([1000, 1000], generator: g), b = randn([1000, 1000], generator: g);
        List<double> t = Time(5, repeats, () => { using var s = NewDisposeScope(); a.matmul(b).sum().item<float>(); });
        double median = new BenchResult("W0", t, []).Median;
        return new BenchResult("W0", t, new JsonObject { ["gflops"] = 2e9 / median / 1e9 });
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
            double sum = 0, squares = 0, fired = 0;
            for (int j = 0; j < n; j++)
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
        var peaks = new JsonArray();
        var points = new List<(double T, double MiB)>();
        var times = new List<double>();
        foreach (int t in steps.Order())
        {
            ResetPeakMemory();
            BenchResult r = TrainConvSteps(t, warmups: 1, repeats: 1);
            double peak = PeakMemoryMiB() ?? double.NaN;
            points.Add((t, peak));
            times.Add(r.Median);
            peaks.Add(new JsonObject { ["steps"] = t, ["peak_rss_mib"] = peak, ["step_s"] = r.Median });
        }
        double mt = points.Average(p => p.T), mm = points.Average(p => p.MiB);
        double slope = points.Sum(p => (p.T - mt) * (p.MiB - mm)) / points.Sum(p => (p.T - mt) * (p.T - mt));
        const double neuronsPerStep = 32.0 * (32 * 28 * 28 + 32 * 14 * 14 + 500 + 100 + 10);
        return new BenchResult("W3-memory", times, new JsonObject
        {
            ["points"] = peaks, ["mib_per_step"] = slope, ["bytes_per_neuron_step"] = slope * 1024 * 1024 / neuronsPerStep,
            ["intercept_mib"] = mm - slope * mt,
        });
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

    private static BenchResult TrainConvSteps(int steps, int warmups, int repeats) =>
        TrainStep("W3", Architectures.DingConvMnist(BenchNeuron(0.8)), [32, 1, 28, 28], steps, warmups, repeats);

    private static BenchResult TrainStep(string name, NetworkSpec spec, long[] shape, int steps, int warmups, int repeats)
    {
        using var g = new Generator(2);
        using var net = SpikingNetwork.Create(spec, g);
        Tensor x = randn(shape, generator: g).DetachFromDisposeScope();
        Tensor y = randint(0, 10, [shape[0]], generator: g).DetachFromDisposeScope();
        var optimizer = new AdamOptimizer(net.parameters(), 1e-3);
        double loss = 0, outputSpikes = 0;
        ResetPeakMemory();
        double? before = ResidentMemoryMiB();      // freed memory stays in the process: the growth is peak − before
        var phases = new List<double[]>();
        List<double> t = Time(warmups, repeats, () =>
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            optimizer.ZeroGrad();
            Tensor logits = net.Run(x, steps).Output;
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
