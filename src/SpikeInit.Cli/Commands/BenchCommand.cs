using System.CommandLine;
using SpikeInit.Benchmarks;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit bench</c>: the reference workloads W0–W5 of docs/BENCHMARKS.md (Workloads.All), one JSON line each.</summary>
internal static class BenchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var workload = new Option<string>("--workload") { Description = string.Join(", ", Workloads.All.Select(w => $"{w.Name} ({w.Description})")) + ", all, or none (with --memory or --spikes).", DefaultValueFactory = _ => "all" };
        var memory = new Option<bool>("--memory") { Description = "Also measure BPTT memory against T (one W3 step at T = 5, 10, 20, 40: peak resident memory, MiB per step)." };
        var spikes = new Option<bool>("--spikes") { Description = "Also time event-driven spike products against the dense path (own kernel) and libtorch's GEMM at spike densities 1-40 % on the workloads' shapes." };
        var command = new Command("bench", "Run the reference workloads of docs/BENCHMARKS.md and print one JSON line per workload (median, min, max over timed repeats, peak resident memory for training).") { workload, memory, spikes };
        globals.SetAction(command, (parse, ctx) =>
        {
            string w = parse.GetValue(workload)!.Trim().ToUpperInvariant();
            if (w == "NONE" && !parse.GetValue(memory) && !parse.GetValue(spikes))
                throw new ArgumentException("--workload none runs nothing: add --memory or --spikes, or name a workload (W0–W5 or all)");
            IEnumerable<Workload> runs = w is "ALL" or "NONE" ? Workloads.All : [Workloads.Find(w)];
            // First, while the heap is small: each T's peak then shows the growth from the previous one.
            if (parse.GetValue(memory)) ctx.Line(Workloads.MemoryScaling().ToJson());
            if (parse.GetValue(spikes)) ctx.Line(SpikeProducts.Run().ToJson());
            foreach (Workload run in runs.Where(_ => w != "NONE"))
                ctx.Line(run.Run().ToJson());
            return 0;
        });
        return command;
    }
}
