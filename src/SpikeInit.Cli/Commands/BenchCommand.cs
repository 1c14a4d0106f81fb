using System.CommandLine;
using SpikeInit.Benchmarks;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit bench</c>: the reference workloads W0–W3 of docs/BENCHMARKS.md, one JSON line each.</summary>
internal static class BenchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var workload = new Option<string>("--workload") { Description = "W0 (sgemm), W1 (probe sweep), W2 (MLP training step), W3 (conv training step), all, or none (with --memory).", DefaultValueFactory = _ => "all" };
        var memory = new Option<bool>("--memory") { Description = "Also measure BPTT memory against T (one W3 step at T = 5, 10, 20, 40: peak resident memory, MiB per step)." };
        var command = new Command("bench", "Run the reference workloads of docs/BENCHMARKS.md and print one JSON line per workload (median, min, max over timed repeats, peak resident memory for training).") { workload, memory };
        globals.SetAction(command, (parse, ctx) =>
        {
            string w = parse.GetValue(workload)!.Trim().ToUpperInvariant();
            var runs = new (string Name, Func<BenchResult> Run)[] { ("W0", () => Workloads.Gemm()), ("W1", () => Workloads.Probe()), ("W2", () => Workloads.TrainMlp()), ("W3", () => Workloads.TrainConv()) };
            if (w is not ("ALL" or "NONE") && !runs.Any(r => r.Name == w)) throw new ArgumentException($"workload = '{w}' is not one of W0, W1, W2, W3, all, none");
            // First, while the heap is small: each T's peak then shows the growth from the previous one.
            if (parse.GetValue(memory)) ctx.Line(Workloads.MemoryScaling().ToJson());
            foreach (var (name, run) in runs.Where(r => w == "ALL" || r.Name == w))
                ctx.Line(run().ToJson());
            return 0;
        });
        return command;
    }
}
