using System.CommandLine;
using SpikeInit.Benchmarks;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit bench</c>: the reference workloads W0–W3 of shared/bench/WORKLOADS.md, one JSON line each.</summary>
internal static class BenchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var workload = new Option<string>("--workload") { Description = "W0 (sgemm), W1 (probe sweep), W2 (MLP training step), W3 (conv training step), or all.", DefaultValueFactory = _ => "all" };
        var command = new Command("bench", "Run the reference workloads and print one JSON line per workload (median, min, max over timed repeats).") { workload };
        globals.SetAction(command, (parse, ctx) =>
        {
            string w = parse.GetValue(workload)!.Trim().ToUpperInvariant();
            var runs = new (string Name, Func<BenchResult> Run)[] { ("W0", () => Workloads.Gemm()), ("W1", () => Workloads.Probe()), ("W2", () => Workloads.TrainMlp()), ("W3", () => Workloads.TrainConv()) };
            if (w != "ALL" && !runs.Any(r => r.Name == w)) throw new ArgumentException($"workload = '{w}' is not one of W0, W1, W2, W3, all");
            foreach (var (name, run) in runs.Where(r => w == "ALL" || r.Name == w))
                ctx.Console.Profile.Out.Writer.WriteLine(run().ToJson());
            return 0;
        });
        return command;
    }
}
