using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SpikeInit.Networks;
using SpikeInit.Probing;
using SpikeInit.Training;
using Spectre.Console;
using SpikeInit.IO;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit train</c> and <c>spikeinit compare</c>: BPTT training of the papers' networks, and the same network under several initializations.</summary>
internal static class TrainCommand
{
    private sealed class Common
    {
        public readonly Option<string> Arch = new("--arch") { Description = "Architecture: " + string.Join("; ", TrainingPresets.Architectures.Select(a => $"{a.Key} ({a.Value})")) + ".", DefaultValueFactory = _ => "rossbroich-shallow" };
        public readonly Option<string> Dataset = new("--dataset") { Description = "randman (built in), fashion-mnist, mnist, an SHD/SSC train .h5 file, or a folder of IDX files.", DefaultValueFactory = _ => "randman" };
        public readonly Option<int?> Epochs = new("--epochs") { Description = "Supervised epochs (default: the preset's)." };
        public readonly Option<double?> Lr = new("--lr") { Description = "Base learning rate (default: the preset's)." };
        public readonly Option<string?> Optimizer = new("--optimizer") { Description = "adam, adamw, sgd, asgd, adagrad, adabelief (default: the preset's)." };
        public readonly Option<string?> Schedule = new("--schedule") { Description = "constant, cosine, or multistep:E1,E2[:gamma] (default: the preset's)." };
        public readonly Option<int?> Batch = new("--batch") { Description = "Batch size (default: the preset's)." };
        public readonly Option<int?> Steps = new("--steps") { Description = "Time steps T for image encodings (default: the preset's)." };
        public readonly Option<int?> Depth = new("--depth") { Description = "Hidden layers for micheli-mlp and rossbroich-deep." };
        public readonly Option<int?> LimitTrain = new("--limit-train") { Description = "Use at most N training images (a reduced run)." };
        public readonly Option<int> MaxBatches = new("--max-batches") { Description = "Batches per epoch cap (0 = all).", DefaultValueFactory = _ => 0 };
        public readonly Option<double> Target = new("--target-accuracy") { Description = "Training accuracy whose first crossing is reported as iterations_to_target.", DefaultValueFactory = _ => 0.6 };
        public readonly Option<int> Priming = new("--priming-epochs") { Description = "Homeostatic priming epochs before training (lower-bound term only).", DefaultValueFactory = _ => 0 };
        public readonly Option<string?> Cache = new("--cache") { Description = "Data cache folder." };

        public IEnumerable<Option> All() => [Arch, Dataset, Epochs, Lr, Optimizer, Schedule, Batch, Steps, Depth, LimitTrain, MaxBatches, Target, Priming, Cache];

        public RunConfiguration Configuration(ParseResult parse, long seed, string? init)
        {
            var config = new RunConfiguration
            {
                Architecture = parse.GetValue(Arch)!, Dataset = parse.GetValue(Dataset)!, Init = init, Seed = seed, Batch = parse.GetValue(Batch),
                Steps = parse.GetValue(Steps), LimitTrain = parse.GetValue(LimitTrain), Cache = parse.GetValue(Cache), Depth = parse.GetValue(Depth),
            };
            TrainingOptions o = TrainingPresets.Options(config.Architecture);   // the preset's options, then overrides
            o = o with
            {
                Epochs = parse.GetValue(Epochs) ?? o.Epochs, LearningRate = parse.GetValue(Lr) ?? o.LearningRate,
                Optimizer = parse.GetValue(Optimizer) is { } opt ? Enum.TryParse(opt, true, out OptimizerKind k) && Enum.IsDefined(k) ? k : throw new ArgumentException($"optimizer = '{opt}' is not one of adam, adamw, sgd, asgd, adagrad, adabelief") : o.Optimizer,
                Schedule = parse.GetValue(Schedule) is { } s ? ParseSchedule(s) : o.Schedule,
                MaxBatches = parse.GetValue(MaxBatches), TargetAccuracy = parse.GetValue(Target), PrimingEpochs = parse.GetValue(Priming),
            };
            return config with { Options = o };
        }
    }

    private static Schedule ParseSchedule(string text)
    {
        string[] parts = text.Split(':');
        return parts[0].ToLowerInvariant() switch
        {
            "constant" => new Schedule(),
            "cosine" => new Schedule(ScheduleKind.Cosine),
            "multistep" when parts.Length >= 2 => new Schedule(ScheduleKind.MultiStep, [.. parts[1].Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture))],
                                                                parts.Length > 2 ? double.Parse(parts[2], CultureInfo.InvariantCulture) : 0.1),
            _ => throw new ArgumentException($"schedule = '{text}' is not constant, cosine or multistep:E1,E2[:gamma]"),
        };
    }

    public static Command Create(GlobalOptions globals)
    {
        var c = new Common();
        var init = new Option<string?>("--init") { Description = "Initialization method (default: the architecture's paper default)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default runs/ARCH-INIT-SEED)." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last checkpoint." };
        var command = new Command("train", "Train a network with BPTT and surrogate gradients; checkpoints every epoch (and on Ctrl-C), resumable.") { init, output, resume };
        foreach (Option o in c.All()) command.Options.Add(o);
        globals.SetAction(command, (parse, ctx) =>
        {
            using var cts = new CancellationTokenSource();
            ConsoleCancelEventHandler stop = (_, e) => { e.Cancel = true; cts.Cancel(); };
            Console.CancelKeyPress += stop;
            try
            {
                TrainingSummary summary;
                string dir;
                if (parse.GetValue(resume) is { } previous)
                {
                    dir = previous;
                    string manifest = Path.Combine(dir, "run.json");
                    if (!File.Exists(manifest)) throw new FileNotFoundException($"{dir} has no run.json: not a spikeinit run folder");
                    RunConfiguration config = JsonSerializer.Deserialize<RunConfiguration>(File.ReadAllText(manifest), Checkpoint.Json)
                                              ?? throw new InvalidDataException($"{manifest} is empty");
                    PreparedRun run = TrainingPresets.Prepare(config);
                    summary = WithProgress(ctx, $"resuming {dir}", p => Trainer.Resume(dir, run.Data, p, cts.Token));
                }
                else
                {
                    RunConfiguration config = c.Configuration(parse, ctx.Seed, parse.GetValue(init));
                    PreparedRun run = TrainingPresets.Prepare(config);
                    dir = parse.GetValue(output) ?? Path.Combine("runs", $"{config.Architecture}-{run.Init}-{config.Seed}");
                    Directory.CreateDirectory(dir);
                    WriteManifest(dir, config with { Init = run.Init });
                    ctx.Console.MarkupLine(Markup.Escape($"{config.Architecture} on {run.Data.Name} ({run.Data.TrainCount} training samples), init {run.Init}, seed {config.Seed}, {run.Options.Epochs} epochs, {run.Options.Optimizer} lr {run.Options.LearningRate:G3}"));
                    summary = WithProgress(ctx, "training", p => Trainer.Train(run.Network, run.Data, run.Options, dir, p, cts.Token));
                }
                Report(ctx, summary, dir);
                return summary.Status switch { TrainingStatus.Completed => 0, TrainingStatus.Cancelled => 130, _ => 3 };
            }
            finally
            {
                Console.CancelKeyPress -= stop;
            }
        });
        return command;
    }

    public static Command CreateCompare(GlobalOptions globals)
    {
        var c = new Common();
        var inits = new Option<string>("--init") { Description = "Comma-separated initialization methods to compare.", DefaultValueFactory = _ => "fluctuation,kaiming" };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds (default: the global --seed)." };
        var output = new Option<string>("--out") { Description = "Report folder.", DefaultValueFactory = _ => "compare-out" };
        var command = new Command("compare", "Train the same network under several initializations (and seeds), probe each at initialization, and report side by side.") { inits, seeds, output };
        foreach (Option o in c.All()) command.Options.Add(o);
        globals.SetAction(command, (parse, ctx) =>
        {
            string dir = parse.GetValue(output)!;
            long[] seedList = parse.GetValue(seeds) is { Length: > 0 } s ? [.. s.Split(',').Select(x => long.Parse(x.Trim(), CultureInfo.InvariantCulture))] : [ctx.Seed];
            var rows = new List<(string Init, long Seed, TrainingSummary Summary, IReadOnlyList<double> InitRates)>();
            foreach (string method in parse.GetValue(inits)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                foreach (long seed in seedList)
                {
                    RunConfiguration config = c.Configuration(parse, seed, method);
                    PreparedRun run = TrainingPresets.Prepare(config);
                    string runDir = Path.Combine(dir, $"{method}-{seed}");
                    Directory.CreateDirectory(runDir);
                    WriteManifest(runDir, config);
                    IReadOnlyList<double> rates = InitialRates(run);
                    ctx.Console.MarkupLine(Markup.Escape($"{method}, seed {seed}: firing rate per hidden layer at init {string.Join(" ", rates.Select(r => r.ToString("G3", CultureInfo.InvariantCulture)))}"));
                    TrainingSummary summary = WithProgress(ctx, $"{method} seed {seed}", p => Trainer.Train(run.Network, run.Data, run.Options, runDir, p));
                    rows.Add((method, seed, summary, rates));
                }
            WriteComparison(dir, rows, parse.GetValue(c.Arch)!);
            var table = new Table().AddColumns("init", "seed", "test acc.", "best val acc.", "iterations to target", "rate at init (last hidden)", "seconds");
            foreach (var r in rows)
                table.AddRow(r.Init, r.Seed.ToString(CultureInfo.InvariantCulture), P(r.Summary.TestAccuracy), P(r.Summary.BestValidationAccuracy),
                             r.Summary.IterationsToTarget?.ToString(CultureInfo.InvariantCulture) ?? "never", r.InitRates.Count > 0 ? r.InitRates[^1].ToString("G3", CultureInfo.InvariantCulture) : "-",
                             r.Summary.WallSeconds.ToString("F0", CultureInfo.InvariantCulture));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine(Markup.Escape($"wrote {Path.GetFullPath(Path.Combine(dir, "report.html"))}"));
            return 0;
        });
        return command;
    }

    private static string P(double x) => double.IsFinite(x) ? x.ToString("P1", CultureInfo.InvariantCulture) : "-";

    private static void WriteManifest(string dir, RunConfiguration config)
    {
        var runtime = Runtime.TorchRuntime.Describe();
        AtomicFile.WriteText(Path.Combine(dir, "run.json"), JsonSerializer.Serialize(config, Checkpoint.Json));
        AtomicFile.WriteText(Path.Combine(dir, "versions.json"), JsonSerializer.Serialize(runtime, Checkpoint.Json));
    }

    /// <summary>Mean firing rate per hidden layer on one training batch at initialization (the probe's quantity on real data).</summary>
    private static IReadOnlyList<double> InitialRates(PreparedRun run)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var noGrad = TorchSharp.torch.no_grad();
        var (x, _) = run.Data.Train(0).First();
        NetworkRun r = run.Network.Run(x, run.Data.Steps, Recording.Spikes);
        return [.. r.Layers.Where(l => l.Index < run.Network.Blocks.Count - 1 && l.Spikes is not null).Select(l => (double)l.Spikes!.mean().item<float>())];
    }

    private static TrainingSummary WithProgress(RunContext ctx, string what, Func<IProgress<TrainingProgress>, TrainingSummary> body)
    {
        TrainingSummary? result = null;
        ctx.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask task = progress.AddTask(Markup.Escape(what));
                result = body(new ActionProgress(p =>
                {
                    task.MaxValue = p.Batches;
                    task.Value = p.Batch;
                    task.Description = Markup.Escape($"{what}: epoch {p.Epoch}, batch {p.Batch}/{p.Batches}, running acc. {p.RunningAccuracy:P1}, loss {p.Loss:G3}");
                }));
            });
        return result!;
    }

    private sealed class ActionProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private static void Report(RunContext ctx, TrainingSummary s, string dir)
    {
        var table = new Table().AddColumns("epoch", "train acc.", "val acc.", "test acc.", "train loss", "seconds");
        foreach (EpochMetrics h in s.History)
            table.AddRow(h.Epoch.ToString(CultureInfo.InvariantCulture), P(h.TrainAccuracy), P(h.ValidationAccuracy), P(h.TestAccuracy),
                         h.TrainLoss.ToString("G4", CultureInfo.InvariantCulture), h.WallSeconds.ToString("F0", CultureInfo.InvariantCulture));
        ctx.Console.Write(table);
        if (s.Message is not null) ctx.Console.MarkupLine(Markup.Escape($"{s.Status}: {s.Message}"));
        ctx.Console.MarkupLine(Markup.Escape($"test accuracy {P(s.TestAccuracy)}, best validation {P(s.BestValidationAccuracy)}, iterations to target {s.IterationsToTarget?.ToString(CultureInfo.InvariantCulture) ?? "never"}; run folder {Path.GetFullPath(dir)}"));
    }

    private static void WriteComparison(string dir, List<(string Init, long Seed, TrainingSummary Summary, IReadOnlyList<double> InitRates)> rows, string arch)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var methods = rows.Select(r => r.Init).Distinct().ToList();
        foreach (var r in rows)
        {
            var h = r.Summary.History.Where(e => e.Epoch >= 0 && double.IsFinite(e.ValidationAccuracy)).ToList();
            if (h.Count == 0) h = [.. r.Summary.History.Where(e => e.Epoch >= 0)];
            var line = plot.Add.Scatter(h.Select(e => (double)e.Epoch).ToArray(), h.Select(e => double.IsFinite(e.ValidationAccuracy) ? e.ValidationAccuracy : e.TestAccuracy).ToArray(),
                                        palette.GetColor(methods.IndexOf(r.Init)));
            line.LegendText = $"{r.Init} (seed {r.Seed})";
        }
        plot.XLabel("epoch");
        plot.YLabel("validation accuracy");
        plot.Title($"{arch}: initializations compared");
        plot.ShowLegend();
        PlotFiles.Save(plot, Path.Combine(dir, "learning_curves"), 900, 560);
        var sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>compare</title><style>body{font-family:sans-serif;max-width:1000px;margin:auto}td,th{border:1px solid #ccc;padding:3px 8px}table{border-collapse:collapse}</style></head><body>");
        sb.Append("<h1>").Append(System.Net.WebUtility.HtmlEncode(arch)).Append(": initializations compared</h1><table><tr><th>init</th><th>seed</th><th>test accuracy</th><th>best validation</th><th>iterations to target</th><th>hidden rates at init</th><th>seconds</th></tr>");
        foreach (var r in rows)
            sb.Append("<tr><td>").Append(r.Init).Append("</td><td>").Append(r.Seed).Append("</td><td>").Append(P(r.Summary.TestAccuracy)).Append("</td><td>")
              .Append(P(r.Summary.BestValidationAccuracy)).Append("</td><td>").Append(r.Summary.IterationsToTarget?.ToString(CultureInfo.InvariantCulture) ?? "never")
              .Append("</td><td>").Append(string.Join(" ", r.InitRates.Select(x => x.ToString("G3", CultureInfo.InvariantCulture)))).Append("</td><td>")
              .Append(r.Summary.WallSeconds.ToString("F0", CultureInfo.InvariantCulture)).Append("</td></tr>");
        sb.Append("</table><img src=\"learning_curves.svg\" alt=\"learning curves\"><p>Each run's folder holds metrics.csv, summary.json, its checkpoint and model.</p></body></html>");
        AtomicFile.WriteText(Path.Combine(dir, "report.html"), sb.ToString());
        var csv = new StringBuilder("init,seed,test_accuracy,best_val_accuracy,iterations_to_target,wall_seconds\n");
        foreach (var r in rows)
            csv.Append(r.Init).Append(',').Append(r.Seed).Append(',').Append(r.Summary.TestAccuracy.ToString("R", CultureInfo.InvariantCulture)).Append(',')
               .Append(r.Summary.BestValidationAccuracy.ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(r.Summary.IterationsToTarget?.ToString(CultureInfo.InvariantCulture) ?? "")
               .Append(',').Append(r.Summary.WallSeconds.ToString("F1", CultureInfo.InvariantCulture)).Append('\n');
        AtomicFile.WriteText(Path.Combine(dir, "compare.csv"), csv.ToString());
    }
}
