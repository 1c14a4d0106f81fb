using System.CommandLine;
using System.CommandLine.Parsing;
using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.IO;
using SpikeInit.Neurons;
using SpikeInit.Probing;
using SpikeInit.Runtime;

namespace SpikeInit.Cli.Commands;

/// <summary>
/// <c>spikeinit probe</c>: propagation of activity through depth and time at initialization, for a sweep of methods and
/// neuron settings or a paper preset; writes probe.csv, summary.json, plots and report.html.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var preset = new Option<string?>("--preset") { Description = "Reproduce a paper figure: " + string.Join("; ", ProbePresets.All.Select(p => $"{p.Name} ({p.Description})")) + "." };
        var quick = new Option<bool>("--quick") { Description = "With --preset: the reduced variant (seconds instead of minutes)." };
        var method = new Option<string>("--method") { Description = "Comma-separated methods: " + string.Join(", ", Initializers.Names) + ".", DefaultValueFactory = _ => "micheli,kaiming,glorot" };
        var theta = new Option<string>("--theta") { Description = "Comma-separated thresholds theta > 0 (small theta such as 0.01 approaches Micheli's ReLU-like theta -> 0 control; 0 itself is not a threshold).", DefaultValueFactory = _ => "1" };
        var beta = new Option<string>("--beta") { Description = "Comma-separated leaks beta in [0, 1] (k for --neuron klambda).", DefaultValueFactory = _ => "0.5" };
        var reset = new Option<string>("--reset") { Description = "Comma-separated LIF resets (as init --reset): " + string.Join(", ", NeuronModels.ResetAliases.Keys) + ".", DefaultValueFactory = _ => ProbeConfiguration.NameOf(LifReset.SubtractNextStep) };
        var width = new Option<string>("--width") { Description = "Comma-separated layer widths n.", DefaultValueFactory = _ => "1000" };
        var depth = new Option<string>("--depth") { Description = "Comma-separated depths (layers after the input).", DefaultValueFactory = _ => "100" };
        var sigmaU = new Option<string>("--sigma-u") { Description = "Comma-separated fluctuation-driven targets sigma_U > 0.", DefaultValueFactory = _ => "1" };
        var steps = new Option<int>("--steps") { Description = "Time steps T.", DefaultValueFactory = _ => 20 };
        var repeats = new Option<int>("--repeats") { Description = "Independent repeats (weights and inputs re-drawn).", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch") { Description = "Input samples per repeat (1 shows finite-size collapses that a batch pools away).", DefaultValueFactory = _ => 16 };
        var neuron = new Option<string>("--neuron") { Description = "Neuron model with its default parameters (--beta is its leak, k for klambda): " + string.Join(", ", NeuronModels.All.Select(m => m.Name)) + ".", DefaultValueFactory = _ => "lif" };
        var input = new Option<string>("--input")
        {
            Description = "gaussian (N(0,1) constant current into an encoding layer), poisson (spike trains; layer 0 = input), or an image dataset (" +
                          string.Join(", ", new DataCatalog().Sources.Where(d => d.Form == DataForm.Images).Select(d => d.Name)) +
                          ", or a folder of IDX files): its standardized pixels as constant currents into one encoder neuron per pixel, the first layer maps them to --width; the initializer gets their measured mean and variance.",
            DefaultValueFactory = _ => "gaussian",
        };
        var dataDir = new Option<string?>("--data-dir") { Description = "With a dataset --input: read it from this folder of IDX files." };
        var cache = new Option<string?>("--cache") { Description = "Data cache folder (default: $SPIKEINIT_DATA, else ~/.cache/spikeinit)." };
        var rate = new Option<double>("--rate") { Description = "Poisson rate: Hz for cuba, spikes per step otherwise.", DefaultValueFactory = _ => 15.8 };
        var gradients = new Option<bool>("--gradients") { Description = "Also run one backward pass per repeat: surrogate-gradient and weight-gradient size per layer." };
        var calibrate = new Option<string?>("--calibrate") { Description = "Calibrate each repeat's network on its input after initialization, before measuring (every layer, the last included): rate:V, sigma:V or keep-first (layer 1's rate as initialized); methods are labelled METHOD+calibrated." };
        var raster = new Option<bool>("--raster") { Description = "Also plot one sample of each probed network: spike raster and first/last layer membranes (raster_NAME, membrane_NAME_first/_last)." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Write the tables and report.html without figures (sweeps of many runs: merge plots once)." };
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "probe-out" };
        var command = new Command("probe", "Measure activity propagation through depth and time at initialization against theory, with plots and a report.")
        {
            preset, quick, method, theta, beta, reset, width, depth, sigmaU, steps, repeats, batch, neuron, input, dataDir, cache, rate, gradients, calibrate, raster, noPlots, output,
        };
        var device = RegistryOptions.AddTo(command, [ComputeDevice.Spec]);
        globals.SetAction(command, (parse, ctx) =>
        {
            string dir = OutputPath.Folder(parse.GetValue(output)!, "out");
            if (parse.GetValue(quick) && parse.GetValue(preset) is null) throw new ArgumentException("--quick applies only with --preset (a preset's reduced variant)");
            new Settings(parse.CommandResult.Children.OfType<OptionResult>().Where(r => !r.Implicit).Select(r => new KeyValuePair<string, string?>(r.Option.Name.TrimStart('-'), "")))
                .RequireReaders(parse.GetValue(preset) is { } named
                    ? ($"--preset {named}", ["preset", "quick", "gradients", "calibrate", "no-plots", "out", "device", "seed", "threads", "json", "quiet", "max-memory"])
                    : ("a probe", command.Options.Select(o => o.Name.TrimStart('-')).Concat(["seed", "threads", "json", "quiet", "max-memory"])));
            IReadOnlyList<ProbeConfiguration> configurations;
            string title;
            string? claim = null;
            CalibrationTarget? target = parse.GetValue(calibrate) is { } t ? CalibrationTarget.Parse(t) : null;
            ComputeDevice on = ComputeDevice.From(device.Values(parse));
            if (parse.GetValue(preset) is { } name)
            {
                ProbePreset p = ProbePresets.Get(name);
                configurations = parse.GetValue(quick) ? p.Quick : p.Full;
                configurations = [.. configurations.Select(c => c with { Gradients = c.Gradients || parse.GetValue(gradients), Calibrate = target, Device = on })];
                title = $"Probe preset {p.Name}{(parse.GetValue(quick) ? " (quick)" : "")}: {p.Description}";
                claim = p.Claim;
            }
            else
            {
                var (kind, dataset) = ProbeConfiguration.ParseInput(parse.GetValue(input)!, parse.GetValue(dataDir), parse.GetValue(cache));
                var template = new ProbeConfiguration
                {
                    Steps = parse.GetValue(steps), Repeats = parse.GetValue(repeats), Batch = parse.GetValue(batch),
                    Neuron = parse.GetValue(neuron)!, Input = kind, Dataset = dataset,
                    Rate = parse.GetValue(rate), Gradients = parse.GetValue(gradients), Calibrate = target, Device = on,
                };
                LifReset[] resets = [.. parse.GetValue(reset)!.Split(',', StringSplitOptions.TrimEntries)
                                                                 .Select(r => EnumNames.Parse(r, "reset", NeuronModels.ResetAliases))];
                configurations = ProbePresets.Sweep(template, [.. parse.GetValue(method)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                                                    Settings.List<double>(parse.GetValue(theta), "theta"), Settings.List<double>(parse.GetValue(beta), "beta"),
                                                    Settings.List<int>(parse.GetValue(width), "width"), Settings.List<int>(parse.GetValue(depth), "depth"),
                                                    Settings.List<double>(parse.GetValue(sigmaU), "sigma-u"), resets);
                title = $"Probe: {string.Join(", ", configurations.Select(c => c.Method).Distinct())} on {configurations[0].Depth} layers";
            }
            foreach (ProbeConfiguration c in configurations) NetworkSize.Require(c.Network(), c.Batch, c.Steps, $"probe {c.Label}"); // all before any run
            var results = Run(ctx, configurations);
            IReadOnlyList<string> files = [.. ProbeReport.Write(dir, results, ctx.Seed, title, claim, !parse.GetValue(noPlots)), .. parse.GetValue(raster) ? ProbeRaster.Write(dir, results, ctx.Seed) : []];
            ctx.Show(ProbeReport.Table(results));
            if (claim is not null) ctx.Say("Paper's claim: " + claim);
            foreach (string o in ProbeReport.Observations(results)) ctx.Say("  measured: " + o);
            ctx.Say($"wrote {files.Count} files to {Path.GetFullPath(dir)} (report.html, probe.csv, summary.json, plots)");
            return 0;
        });
        return command;
    }

    private static List<ProbeResult> Run(RunContext ctx, IReadOnlyList<ProbeConfiguration> configurations) =>
        ProgressDisplay.Run(ctx, "probe", report =>
        {
            var results = new List<ProbeResult>();
            double done = 0, total = configurations.Sum(c => (double)c.Repeats * (c.Depth + 1));
            foreach (ProbeConfiguration c in configurations)
            {
                results.Add(Probe.Run(c, ctx.Seed, ProgressDisplay.Of<ProbeProgress>(p =>
                    report(done + p.Repeat * (double)p.Layers + p.Layer, total, $"{c.Label}: repeat {p.Repeat + 1}/{c.Repeats}, layer {p.Layer}/{p.Layers}"))));
                done += c.Repeats * (double)(c.Depth + 1);
            }
            return results;
        });
}
