using System.Text.Json.Nodes;

namespace SpikeInit.Benchmarks;

/// <summary>One workload's timings and sanity outputs.</summary>
/// <param name="Workload">W0 … W3 name.</param>
/// <param name="Seconds">Timed repeats (seconds each).</param>
/// <param name="Extra">Workload-specific figures (gflops, samples_per_s, sanity values).</param>
public sealed record BenchResult(string Workload, IReadOnlyList<double> Seconds, JsonObject Extra)
{
    /// <summary>Median of the timed repeats.</summary>
    public double Median
    {
        get
        {
            double[] s = [.. Seconds.Order()];
            return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
        }
    }

    /// <summary>One JSON line: workload, median_s, min_s, max_s, n and the extras.</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["workload"] = Workload,
            ["median_s"] = Median,
            ["min_s"] = Seconds.Min(),
            ["max_s"] = Seconds.Max(),
            ["n"] = Seconds.Count,
        };
        foreach (var (key, value) in Extra) json[key] = value?.DeepClone();
        return json.ToJsonString();
    }
}
