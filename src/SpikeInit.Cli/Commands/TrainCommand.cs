using System.CommandLine;
using System.Globalization;
using SpikeInit.Initialization;
using SpikeInit.IO;
using SpikeInit.Probing;
using SpikeInit.Training;

namespace SpikeInit.Cli.Commands;

/// <summary><c>spikeinit train</c> and <c>spikeinit compare</c>: BPTT training of the papers' networks, and the same network under several initializations.</summary>
internal static class TrainCommand
{
    /// <summary>The options of <see cref="RunOptions"/> on a command (and <c>--force</c>), read back as a configuration.</summary>
    private sealed class Common
    {
        private RegistryOptions? options;

        public Option<bool> Force { get; } = new("--force") { Description = "Replace what an earlier run left in the output folder (its run files are deleted)." };

        public void AddTo(Command command, bool force = true)
        {
            options = RegistryOptions.AddTo(command, RunOptions.Specs);
            if (force) command.Options.Add(Force);
        }

        public Settings Values(ParseResult parse) => options!.Values(parse);

        public RunConfiguration Configuration(ParseResult parse, long seed, string? init) => RunOptions.Configuration(Values(parse), seed, init);
    }

    public static Command Create(GlobalOptions globals)
    {
        var c = new Common();
        var init = new Option<string?>("--init") { Description = "Initialization method (default: the architecture's paper default)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default runs/ARCH-INIT-SEED, or the first free ARCH-INIT-SEED-2, -3, …); a folder that already holds a run is refused unless --force." };
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last checkpoint; a larger --epochs extends a finished run (other changed options are refused)." };
        var command = new Command("train", "Train a network with BPTT and surrogate gradients; checkpoints every epoch (and on Ctrl-C), resumable.") { init, output, resume };
        c.AddTo(command);
        globals.SetAction(command, (parse, ctx) =>
        {
            using var stop = new StopSignals();                 // SIGINT and SIGTERM checkpoint, then exit 130
            RunFolder run;
            if (parse.GetValue(resume) is { } previous)
                run = RunFolder.Resume(previous, changes: c.Values(parse).With("init", parse.GetValue(init))
                                                          .With("seed", parse.GetResult(globals.Seed) is { Implicit: false } ? ctx.Seed.ToString(CultureInfo.InvariantCulture) : null));
            else
            {
                run = RunFolder.Create(c.Configuration(parse, ctx.Seed, parse.GetValue(init)), parse.GetValue(output), force: parse.GetValue(c.Force));
                RunConfiguration k = run.Configuration;
                ctx.Say($"{k.Architecture} on {run.Data.Name} ({run.Data.TrainCount} training samples), init {k.Init}, seed {k.Seed}, "
                        + $"{k.Options!.Epochs} epochs, {EnumNames.Of(k.Options.Optimizer)} lr {k.Options.LearningRate:G3}; run folder {run.Folder}");
                foreach (string line in run.Prepared!.Initialization.Select(r => r.DescribeSurrogate()).OfType<string>()) ctx.Say(line);
            }
            TrainingSummary summary = WithProgress(ctx, run.Prepared is null ? $"resuming {run.Folder}" : "training", p => run.Train(p, stop.Token));
            Report(ctx, summary, run.Folder);
            if (summary.Status == TrainingStatus.Cancelled) ctx.Say("continue with: " + run.ResumeCommand);
            return summary.Status switch { TrainingStatus.Completed => 0, TrainingStatus.Cancelled => 130, _ => 3 };
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
        c.AddTo(command);
        globals.SetAction(command, (parse, ctx) =>
        {
            string dir = parse.GetValue(output)!;
            IReadOnlyList<long> seedList = parse.GetValue(seeds) is { Length: > 0 } s ? Settings.List<long>(s, "seeds") : [ctx.Seed];
            string[] methods = parse.GetValue(inits)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            IReadOnlyList<ComparisonResult> results = Comparison.Run(c.Configuration(parse, ctx.Seed, null), methods, seedList, dir, start =>
            {
                ctx.Say($"{start.Init}, seed {start.Seed}: firing rate per hidden layer at init {string.Join(" ", start.InitialRates.Select(r => r.ToString("G3", CultureInfo.InvariantCulture)))}");
                return WithProgress(ctx, $"{start.Init} seed {start.Seed}", p => start.Run.Train(p));
            }, parse.GetValue(c.Force));
            ctx.Show(ComparisonReport.Table(results));
            ctx.Say($"wrote {Path.GetFullPath(Path.Combine(dir, "report.html"))}");
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
        c.AddTo(command);
        globals.SetAction(command, (parse, ctx) =>
        {
            string dir = parse.GetValue(output)!;
            CalibrationReport.RefuseExisting(dir, parse.GetValue(c.Force));
            RunConfiguration config = RunOptions.WithoutTraining(c.Configuration(parse, ctx.Seed, parse.GetValue(init)), "calibrate");
            var target = CalibrationTarget.Parse(config.Calibrate ?? throw new ArgumentException("calibrate needs --calibrate rate:V, sigma:V or keep-first"));
            PreparedRun run = PreparedRun.Prepare(config);
            CalibrationReport.Write(dir, run.Network, target, run.Calibration);
            ctx.Show(CalibrationReport.Table(target, run.Calibration));
            ctx.Say($"wrote {Path.GetFullPath(Path.Combine(dir, "model"))} and calibration.json");
            return 0;
        });
        return command;
    }

    public static Command CreateDiagnose(GlobalOptions globals)
    {
        var c = new Common();
        var init = new Option<string?>("--init") { Description = "Initialization method (default: the architecture's)." };
        var model = new Option<string?>("--model") { Description = "Diagnose this saved model folder instead (needs --dataset; --arch says how to read it)." };
        var output = new Option<string?>("--out") { Description = "Also write report.html, plots and diagnosis.json into this folder." };
        var command = new Command("diagnose", "Per layer on one batch: rate over time, silent/saturated neurons, membrane, surrogate and gradient size; the first silent layer and a fix (--json: one object per layer, then a summary with first_silent_layer and recommendation).") { init, model, output };
        c.AddTo(command, force: false);
        globals.SetAction(command, (parse, ctx) =>
        {
            string? dir = parse.GetValue(output) is { } o ? OutputPath.Folder(o, "out") : null;
            DiagnosisSetup setup = DiagnosisSetup.Load(RunOptions.WithoutTraining(c.Configuration(parse, ctx.Seed, parse.GetValue(init)), "diagnose"), parse.GetValue(model));
            DiagnosisResult d = setup.Run();
            if (ctx.Json)
                foreach (string line in DiagnosisReport.JsonLines(d, setup.Description)) ctx.Line(line);
            else
            {
                ctx.Show(DiagnosisReport.Table(d));
                ctx.Say($"{setup.Description}; first silent layer: {d.FirstSilentLayer?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
                ctx.Say($"{EnumNames.Of(d.Recommendation.Kind)}: {d.Recommendation.Text}");
            }
            if (dir is not null && DiagnosisReport.Write(dir, d, setup.Description) is { } report) ctx.Say("wrote " + Path.GetFullPath(report));
            return 0;
        });
        return command;
    }

    private static TrainingSummary WithProgress(RunContext ctx, string what, Func<IProgress<TrainingProgress>, TrainingSummary> body) =>
        ProgressDisplay.Run(ctx, what, report => body(ProgressDisplay.Of<TrainingProgress>(p =>
            report(p.Batch, p.Batches, $"{what}: epoch {p.Epoch}, batch {p.Batch}/{p.Batches}, running acc. {p.RunningAccuracy:P1}, loss {p.Loss:G3}"))));

    private static void Report(RunContext ctx, TrainingSummary s, string dir)
    {
        ctx.Show(TrainingReport.Epochs(s));
        if (s.Message is not null) ctx.Say($"{EnumNames.Of(s.Status)}: {s.Message}");
        ctx.Say($"test accuracy {TrainingReport.Percent(s.TestAccuracy)}, best validation {TrainingReport.Percent(s.BestValidationAccuracy)}, "
                + $"iterations to target {TrainingReport.Iterations(s.IterationsToTarget)}; run folder {Path.GetFullPath(dir)}");
    }
}
