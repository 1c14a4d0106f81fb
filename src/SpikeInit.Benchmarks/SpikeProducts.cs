using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SpikeInit.Runtime;
using static TorchSharp.torch;

namespace SpikeInit.Benchmarks;

/// <summary>
/// The event-driven spike product (<see cref="SpikeLinear"/>) against its dense path (SpikeInit's own kernel,
/// <c>DenseLinear</c>) and libtorch's GEMM (<c>nn.functional.linear</c>) on the products of the workloads — W1's
/// 320 × 1000 × 1000, W2's hidden 384 × 600 × 600, W5's recurrent step 128 × 256 × 256 and its input projection
/// 12800 × 256 × 256 — at spike densities 1–40 %: forward alone and forward + backward (input, weight and bias
/// gradients), medians of 15 repeats. Where the event-driven/dense ratio crosses 1 is where
/// <see cref="SpikeLinear.MaxDensity"/> and <see cref="SpikeLinear.MinWork"/> come from.
/// </summary>
public static class SpikeProducts
{
    private static readonly (int Rows, int Inputs, int Outs)[] Shapes = [(320, 1000, 1000), (384, 600, 600), (128, 256, 256), (12800, 256, 256)];
    private static readonly double[] Densities = [0.01, 0.05, 0.1, 0.16, 0.25, 0.4];

    /// <summary>Runs the grid; one result whose extras hold a row per (shape, density).</summary>
    public static BenchResult Run(int repeats = 15)
    {
        var rows = new JsonArray();
        var all = new List<double>();
        using var g = new Generator(6);
        foreach (var (n, inputs, outs) in Shapes)
            foreach (double density in Densities)
            {
                using var scope = NewDisposeScope();
                Tensor x = rand([n, inputs], generator: g).lt(density).to(ScalarType.Float32);
                Tensor w = randn([outs, inputs], generator: g).mul(1.0 / Math.Sqrt(inputs)), b = randn([outs], generator: g);
                Tensor gy = randn([n, outs], generator: g);
                double gemmForward, denseForward, eventForward;
                using (no_grad())
                {
                    gemmForward = Median(repeats, () => nn.functional.linear(x, w, b));
                    denseForward = Median(repeats, () => SpikeLinear.Apply(x, w, b, 0, long.MaxValue));
                    eventForward = Median(repeats, () => SpikeLinear.Apply(x, w, b, 1, 0));
                }
                Tensor xg = x.requires_grad_(true), wg = w.requires_grad_(true), bg = b.requires_grad_(true);
                double gemmTrain = Median(repeats, () => Backward(nn.functional.linear(xg, wg, bg), gy, xg, wg, bg));
                double denseTrain = Median(repeats, () => Backward(SpikeLinear.Apply(xg, wg, bg, 0, long.MaxValue), gy, xg, wg, bg));
                double eventTrain = Median(repeats, () => Backward(SpikeLinear.Apply(xg, wg, bg, 1, 0), gy, xg, wg, bg));
                all.Add(eventTrain);
                rows.Add(new JsonObject
                {
                    ["shape"] = string.Create(CultureInfo.InvariantCulture, $"{n}x{inputs}x{outs}"),
                    ["density"] = density,
                    ["gemm_forward_ms"] = gemmForward * 1e3, ["dense_forward_ms"] = denseForward * 1e3, ["event_forward_ms"] = eventForward * 1e3,
                    ["forward_speedup"] = denseForward / eventForward,
                    ["gemm_train_ms"] = gemmTrain * 1e3, ["dense_train_ms"] = denseTrain * 1e3, ["event_train_ms"] = eventTrain * 1e3,
                    ["train_speedup"] = denseTrain / eventTrain,
                });
            }
        return new BenchResult("spike-products", all, new JsonObject
        {
            ["max_density"] = SpikeLinear.MaxDensity, ["min_work"] = SpikeLinear.MinWork, ["rows"] = rows,
            ["note"] = "gemm: libtorch's linear; dense: SpikeInit's own kernel (the layers' dense path); event: the event-driven path at every density and size, which the layers take only at density <= max_density and rows*in*out >= min_work; speedups are dense/event",
        });
    }

    private static Tensor Backward(Tensor y, Tensor gy, params Tensor[] leaves)
    {
        y.backward([gy]);
        foreach (Tensor leaf in leaves) leaf.grad!.zero_();
        return y;
    }

    private static double Median(int repeats, Func<Tensor> body)
    {
        var times = new List<double>();
        for (int i = -3; i < repeats; i++)
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            body();
            if (i >= 0) times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
