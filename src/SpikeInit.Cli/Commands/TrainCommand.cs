using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Neurons;
using SpikeInit.Probing;
using SpikeInit.Training;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit train</c> and <c>spikeinit compare</c>: BPTT training of the papers' networks, and the same network under several initializations.</summary>
internal static class TrainCommand
{
    private static readonly Dictionary<string, OptimizerKind> OptimizerAliases = new() { ["adamw"] = OptimizerKind.AdamW, ["adabelief"] = OptimizerKind.AdaBelief };

    private sealed class Common
    {
        public readonly Option<string> Arch = new("--arch")
        {
            Description = "Architecture: " + string.Join("; ", TrainingPresets.All.Select(p => $"{p.Name} ({p.Description}; default dataset {p.Dataset})")) + ".",
            DefaultValueFactory = _ => "rossbroich-shallow",
        };
        public readonly Option<string?> Dataset = new("--dataset")
        {
            Description = $"Dataset: {string.Join(", ", new DataCatalog().Sources.Select(s => s.Name))}, an SHD/SSC .h5 or .hdf5 file, or a folder of IDX files or N-MNIST Train/Test folders (default: the preset's; see 'spikeinit data list').",
        };
        public readonly Option<string?> DataDir = new("--data-dir") { Description = "Read the dataset from this folder (IDX files, N-MNIST Train/Test, or SHD/SSC files) instead of its usual place." };
        public readonly Option<string?> Encoding = new("--encoding") { Description = $"Image encoding: {string.Join(", ", EnumNames.All<ImageEncoding>())} (default: the preset's)." };
        public readonly Option<int?> Epochs = new("--epochs") { Description = "Supervised epochs (default: the preset's)." };
        public readonly Option<double?> Lr = new("--lr") { Description = "Base learning rate (default: the preset's)." };
        public readonly Option<string?> Optimizer = new("--optimizer") { Description = $"{string.Join(", ", EnumNames.All<OptimizerKind>())} (also adamw, adabelief; default: the preset's)." };
        public readonly Option<string?> Schedule = new("--schedule") { Description = "constant, cosine, or multi-step:E1,E2[:gamma] (also multistep; default: the preset's)." };
        public readonly Option<int?> Batch = new("--batch") { Description = "Batch size (default: the dataset's reference batch, else the preset's)." };
        public readonly Option<int?> Steps = new("--steps") { Description = "Time steps T of image encodings and N-MNIST frames (default: the preset's)." };
        public readonly Option<int?> Depth = new("--depth") { Description = "Hidden layers for micheli-mlp and rossbroich-deep." };
        public readonly Option<string?> Reset = new("--reset") { Description = "LIF reset of micheli-mlp and hc-recurrent (as init --reset): " + string.Join(", ", NeuronModels.ResetAliases.Keys) + " (default: the preset's)." };
        public readonly Option<int?> LimitTrain = new("--limit-train") { Description = "Use at most N training samples (a reduced run)." };
        public readonly Option<int> MaxBatches = new("--max-batches") { Description = "Batches per epoch cap (0 = all).", DefaultValueFactory = _ => 0 };
        public readonly Option<double> Target = new("--target-accuracy") { Description = "Training accuracy whose first crossing is reported as iterations_to_target.", DefaultValueFactory = _ => 0.6 };
        public readonly Option<int> Priming = new("--priming-epochs") { Description = "Homeostatic priming epochs before training (lower-bound term only).", DefaultValueFactory = _ => 0 };
        public readonly Option<string?> Cache = new("--cache") { Description = "Data cache folder." };
        public readonly Option<bool> KeepSurrogate = new("--keep-surrogate") { Description = "Keep the neurons' surrogates where the initialization recommends others (stability: conditions III/IV); default: apply them." };

        public readonly Option<string?> Calibrate = new("--calibrate") { Description = "Calibrate on the first training batch after initialization: rate:V (spikes per step), sigma:V (membrane sigma) or keep-first; every hidden layer within 10 %." };

        public IEnumerable<Option> All() => [Calibrate, Arch, Dataset, DataDir, Encoding, Epochs, Lr, Optimizer, Schedule, Batch, Steps, Depth, Reset, LimitTrain, MaxBatches, Target, Priming, Cache, KeepSurrogate];

        public RunConfiguration Configuration(ParseResult parse, long seed, string? init)
        {
            string arch = parse.GetValue(Arch)!;
            TrainingOptions o = TrainingPresets.Get(arch).Options;   // the preset's options, then overrides
            return new RunConfiguration
            {
                Architecture = arch, Dataset = parse.GetValue(Dataset), DataDirectory = parse.GetValue(DataDir), Init = init, Seed = seed,
                Batch = parse.GetValue(Batch), Steps = parse.GetValue(Steps), LimitTrain = parse.GetValue(LimitTrain), Cache = parse.GetValue(Cache),
                Depth = parse.GetValue(Depth), Calibrate = parse.GetValue(Calibrate), KeepSurrogates = parse.GetValue(KeepSurrogate),
                Reset = parse.GetValue(Reset) is { } r ? EnumNames.Parse(r, "reset", NeuronModels.ResetAliases) : null,
                Encoding = parse.GetValue(Encoding) is { } e ? EnumNames.Parse<ImageEncoding>(e, "encoding") : null,
                Options = o with
                {
                    Epochs = parse.GetValue(Epochs) ?? o.Epochs, LearningRate = parse.GetValue(Lr) ?? o.LearningRate,
                    Optimizer = parse.GetValue(Optimizer) is { } opt ? EnumNames.Parse(opt, "optimizer", OptimizerAliases) : o.Optimizer,
                    Schedule = parse.GetValue(Schedule) is { } s ? Training.Schedule.Parse(s) : o.Schedule,
                    MaxBatches = parse.GetValue(MaxBatches), TargetAccuracy = parse.GetValue(Target), PrimingEpochs = parse.GetValue(Priming),
                },
            };
        }
    }

    public static Command Create(GlobalOptions globals)
    {
        var c = new Common();
        var init = new Option<string?>("--init") { Description = "Initialization method (default: the architecture's paper default)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default runs/ARCH-INIT-SEED); a folder that already holds a run is refused." };
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
                RunFolder run;
                if (parse.GetValue(resume) is { } previous) run = RunFolder.Resume(previous);
                else
                {
                    run = RunFolder.Create(c.Configuration(parse, ctx.Seed, parse.GetValue(init)), parse.GetValue(output));
                    RunConfiguration k = run.Configuration;
                    ctx.Console.MarkupLine(Markup.Escape($"{k.Architecture} on {run.Data.Name} ({run.Data.TrainCount} training samples), init {k.Init}, seed {k.Seed}, "
                                                         + $"{k.Options!.Epochs} epochs, {EnumNames.Of(k.Options.Optimizer)} lr {k.Options.LearningRate:G3}"));
                    foreach (string line in run.Prepared!.Initialization.Select(r => r.DescribeSurrogate()).OfType<string>())
                        ctx.Console.MarkupLine(Markup.Escape(line));
                }
                TrainingSummary summary = WithProgress(ctx, run.Prepared is null ? $"resuming {run.Folder}" : "training", p => run.Train(p, cts.Token));
                Report(ctx, summary, run.Folder);
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
        var output = new Option<string>("--out") { Description = "Report folder; each run trains in OUT/INIT-SEED (run folders that already hold a run are refused).", DefaultValueFactory = _ => "compare-out" };
        var command = new Command("compare", "Train the same network under several initializations (and seeds), probe each at initialization, and report side by side.") { inits, seeds, output };
        foreach (Option o in c.All()) command.Options.Add(o);
        globals.SetAction(command, (parse, ctx) =>
        {
            string dir = parse.GetValue(output)!;
            IReadOnlyList<long> seedList = parse.GetValue(seeds) is { Length: > 0 } s ? Settings.List<long>(s, "seeds") : [ctx.Seed];
            string[] methods = parse.GetValue(inits)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            IReadOnlyList<ComparisonResult> results = Comparison.Run(c.Configuration(parse, ctx.Seed, null), methods, seedList, dir, start =>
            {
                ctx.Console.MarkupLine(Markup.Escape($"{start.Init}, seed {start.Seed}: firing rate per hidden layer at init {string.Join(" ", start.InitialRates.Select(G3))}"));
                return WithProgress(ctx, $"{start.Init} seed {start.Seed}", p => start.Run.Train(p));
            });
            var table = new Table().AddColumns("init", "seed", "test acc.", "best val acc.", "iterations to target", "rate at init (last hidden)", "seconds");
            foreach (ComparisonResult r in results)
                table.AddRow(Markup.Escape(r.Init), r.Seed.ToString(CultureInfo.InvariantCulture), TrainingReport.Percent(r.Summary.TestAccuracy),
                             TrainingReport.Percent(r.Summary.BestValidationAccuracy), TrainingReport.Iterations(r.Summary.IterationsToTarget),
                             r.InitialRates.Count > 0 ? G3(r.InitialRates[^1]) : "-", r.Summary.WallSeconds.ToString("F0", CultureInfo.InvariantCulture));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine(Markup.Escape($"wrote {Path.GetFullPath(Path.Combine(dir, "report.html"))}"));
            return 0;
        });
        return command;
    }

    public static Command CreateCalibrate(GlobalOptions globals)
    {
        var c = new Common();
        var init = new Option<string?>("--init") { Description = "Initialization method before calibration (default: the architecture's)." };
        var output = new Option<string>("--out") { Description = "Folder for model/ and calibration.json (refused if it holds a calibration).", DefaultValueFactory = _ => "calibrate-out" };
        var command = new Command("calibrate", "Initialize a preset network, calibrate every hidden layer on real data to a target rate or membrane sigma, and save it.") { init, output };
        foreach (Option o in c.All()) command.Options.Add(o);
        globals.SetAction(command, (parse, ctx) =>
        {
            string dir = parse.GetValue(output)!;
            CalibrationReport.RefuseExisting(dir);
            RunConfiguration config = c.Configuration(parse, ctx.Seed, parse.GetValue(init));
            var target = CalibrationTarget.Parse(config.Calibrate ?? throw new ArgumentException("calibrate needs --calibrate rate:V, sigma:V or keep-first"));
            PreparedRun run = PreparedRun.Prepare(config);
            CalibrationReport.Write(dir, run.Network, target, run.Calibration);
            var table = new Table().AddColumns("layer", "rate before", "rate after", EnumNames.Of(target.Quantity) + " after", "target", "scale");
            foreach (LayerCalibration l in run.Calibration)
                table.AddRow($"{l.Layer} {Markup.Escape(l.Name)}", G3(l.RateBefore), G3(l.RateAfter), G3(l.After), G3(l.Target), G3(l.Scale));
            ctx.Console.Write(table);
            ctx.Console.MarkupLine(Markup.Escape($"wrote {Path.GetFullPath(Path.Combine(dir, "model"))} and calibration.json"));
            return 0;
        });
        return command;
    }

    public static Command CreateDiagnose(GlobalOptions globals)
    {
        var c = new Common();
        var init = new Option<string?>("--init") { Description = "Initialization method (default: the architecture's)." };
        var model = new Option<string?>("--model") { Description = "Diagnose this saved model folder instead (needs --dataset; --arch says how to read it)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per layer, then a summary object (first_silent_layer, recommendation)." };
        var output = new Option<string?>("--out") { Description = "Also write report.html, plots and diagnosis.json into this folder." };
        var command = new Command("diagnose", "Per layer on one batch: rate over time, silent/saturated neurons, membrane, surrogate and gradient size; the first silent layer and a fix.") { init, model, json, output };
        foreach (Option o in c.All()) command.Options.Add(o);
        globals.SetAction(command, (parse, ctx) =>
        {
            DiagnosisSetup setup = DiagnosisSetup.Load(c.Configuration(parse, ctx.Seed, parse.GetValue(init)), parse.GetValue(model));
            DiagnosisResult d = setup.Run();
            if (parse.GetValue(json))
                foreach (string line in DiagnosisReport.JsonLines(d, setup.Description)) ctx.Console.Profile.Out.Writer.WriteLine(line);
            else
            {
                var table = new Table().AddColumns("layer", "rate", "silent", "saturated", "membrane mean", "membrane σ", "surrogate mean", "grad norm");
                foreach (LayerDiagnosis l in d.Layers)
                    table.AddRow([Markup.Escape(l.Label), .. new[] { l.MeanRate, l.SilentFraction, l.SaturatedFraction, l.MembraneMean, l.MembraneStd, l.SurrogateMean, l.GradientNorm }.Select(x => double.IsFinite(x) ? G3(x) : "-")]);
                ctx.Console.Write(table);
                ctx.Console.MarkupLine(Markup.Escape($"{setup.Description}; first silent layer: {d.FirstSilentLayer?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
                ctx.Console.MarkupLine(Markup.Escape($"{EnumNames.Of(d.Recommendation.Kind)}: {d.Recommendation.Text}"));
            }
            if (parse.GetValue(output) is { } dir && DiagnosisReport.Write(dir, d, setup.Description) is { } report && !parse.GetValue(json))
                ctx.Console.MarkupLine(Markup.Escape("wrote " + Path.GetFullPath(report)));
            return 0;
        });
        return command;
    }

    private static string G3(double x) => x.ToString("G3", CultureInfo.InvariantCulture);

    private static TrainingSummary WithProgress(RunContext ctx, string what, Func<IProgress<TrainingProgress>, TrainingSummary> body) =>
        ProgressDisplay.Run(ctx.Console, what, report => body(ProgressDisplay.Of<TrainingProgress>(p =>
            report(p.Batch, p.Batches, $"{what}: epoch {p.Epoch}, batch {p.Batch}/{p.Batches}, running acc. {p.RunningAccuracy:P1}, loss {p.Loss:G3}"))));

    private static void Report(RunContext ctx, TrainingSummary s, string dir)
    {
        var table = new Table().AddColumns("epoch", "train acc.", "val acc.", "test acc.", "train loss", "seconds");
        foreach (EpochMetrics h in s.History)
            table.AddRow(h.Epoch.ToString(CultureInfo.InvariantCulture), TrainingReport.Percent(h.TrainAccuracy), TrainingReport.Percent(h.ValidationAccuracy),
                         TrainingReport.Percent(h.TestAccuracy), h.TrainLoss.ToString("G4", CultureInfo.InvariantCulture), h.WallSeconds.ToString("F0", CultureInfo.InvariantCulture));
        ctx.Console.Write(table);
        if (s.Message is not null) ctx.Console.MarkupLine(Markup.Escape($"{EnumNames.Of(s.Status)}: {s.Message}"));
        ctx.Console.MarkupLine(Markup.Escape($"test accuracy {TrainingReport.Percent(s.TestAccuracy)}, best validation {TrainingReport.Percent(s.BestValidationAccuracy)}, "
                                             + $"iterations to target {TrainingReport.Iterations(s.IterationsToTarget)}; run folder {Path.GetFullPath(dir)}"));
    }
}
