using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using SpikeInit.Initialization;
using SpikeInit.Neurons;
using SpikeInit.Surrogates;

namespace SpikeInit.Cli.Commands;

/// <summary>
/// <c>spikeinit init</c>: what one or all initialization methods do to one layer — weight mean/std, bias, and the
/// predicted input-current, membrane and firing statistics — as a table or as JSON (one object per method and line).
/// Neuron and method options come from the registries (<see cref="NeuronModels"/>, <see cref="InitOptions.Specs"/>).
/// </summary>
internal static class InitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var method = new Option<string>("--method") { Description = "Method name, a comma-separated list, or 'all': " + string.Join(", ", Initializers.Names) + ".", DefaultValueFactory = _ => "all" };
        var fanIn = new Option<int>("--fan-in") { Description = "Inputs per neuron n (conv: C_in*k*k), >= 1.", DefaultValueFactory = _ => 1000 };
        var fanOut = new Option<int?>("--fan-out") { Description = "Outputs per input (dense: units; conv: C_out*k*k), >= 1. Default: fan-in." };
        var recurrent = new Option<bool>("--recurrent") { Description = "The layer also has recurrent weights among its fan-out neurons (recurrent fan-in = fan-out - 1)." };
        var neuron = new Option<string>("--neuron") { Description = "Target neuron: " + string.Join("; ", NeuronModels.All.Select(m => $"{m.Name} ({m.Description})")) + ".", DefaultValueFactory = _ => "lif" };
        var surrogate = new Option<string>("--surrogate") { Description = "Surrogate of the target neuron (stability's conditions III/IV need a normalized shape): " + string.Join(", ", SurrogateRegistry.All.Select(s => s.Name)) + ".", DefaultValueFactory = _ => "exponential" };
        var input = new Option<string>("--input") { Description = "Layer input: spikes (of a presynaptic layer with membrane N(input-mean, input-variance) and threshold theta, or with --firing-probability / --rate) or gaussian (real-valued N(input-mean, input-variance)).", DefaultValueFactory = _ => "spikes" };
        var inputVariance = new Option<double>("--input-variance") { Description = "Variance sigma^2 > 0 of the presynaptic membrane (spikes) or of the input (gaussian).", DefaultValueFactory = _ => 1.0 };
        var inputMean = new Option<double>("--input-mean") { Description = "Mean of the presynaptic membrane (spikes) or of the input (gaussian).", DefaultValueFactory = _ => 0.0 };
        var firingProbability = new Option<double?>("--firing-probability") { Description = "Measured probability p in [0, 1] that an input spikes in one step (Micheli's data-dependent variant)." };
        var rate = new Option<double?>("--rate") { Description = "Presynaptic rate nu > 0: Hz for current-based neurons (spikes arrive with p = nu*dt), spikes per step for lif/klambda." };
        var steps = new Option<int>("--steps") { Description = "Also predict lif/klambda layers over T steps and in the stationary regime (0: not; stationary always predicts its stationary regime).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per method (one per line) instead of a table." };
        var command = new Command("init", "Show what initialization methods do to one layer: weight statistics, bias, and the predicted current, membrane and firing statistics.")
        {
            method, fanIn, fanOut, recurrent, neuron, surrogate, input, inputVariance, inputMean, firingProbability, rate, steps, json,
        };
        var registryOptions = RegistryOptions.AddTo(command, NeuronModels.Options.Concat(InitOptions.Specs));
        globals.SetAction(command, (parse, ctx) =>
        {
            Settings settings = registryOptions.Values(parse);
            Neuron target = NeuronModels.Get(parse.GetValue(neuron)!).Build(settings) with
            {
                Surrogate = SurrogateRegistry.Get(parse.GetValue(surrogate)!).Create(),
            };
            InputStatistics x = InputStatistics.Describe(EnumNames.Parse<InputKind>(parse.GetValue(input), "input"), parse.GetValue(inputMean),
                                                         parse.GetValue(inputVariance), parse.GetValue(firingProbability), parse.GetValue(rate), target);
            int n = parse.GetValue(fanIn), m = parse.GetValue(fanOut) ?? n;
            InitContext context = parse.GetValue(recurrent) ? InitContext.Recurrent(n, m, target, x) : InitContext.Dense(n, m, target, x);
            context = context with { Steps = parse.GetValue(steps) };
            InitOptions options = InitOptions.From(settings);
            string requested = parse.GetValue(method)!;
            bool all = requested.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);
            var results = new List<(string Name, Prediction? Theory, string? Error)>();
            foreach (string name in all ? Initializers.Names : requested.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Initializer init = Initializers.Create(name, options);
                try
                {
                    results.Add((init.Name, init.Theory(context), null));
                }
                catch (ArgumentException e) when (all)
                {
                    results.Add((init.Name, null, e.Message.Split(" (Parameter")[0]));
                }
            }
            if (parse.GetValue(json))
                foreach (var (name, p, error) in results)
                    ctx.Console.Profile.Out.Writer.WriteLine((p?.ToJson() ?? new System.Text.Json.Nodes.JsonObject { ["method"] = name, ["error"] = error }).ToJsonString());
            else WriteTable(ctx.Console, context, results);
            return 0;
        });
        return command;
    }

    private static string F(double? x) => x is { } v ? v.ToString("G4", CultureInfo.InvariantCulture) : "-";

    private static void WriteTable(IAnsiConsole console, InitContext context, List<(string Name, Prediction? Theory, string? Error)> results)
    {
        InputStatistics x = context.Input;
        string input = x.Binary
            ? $"spikes with p = {F(x.Mean)} per step" + (x.Rate is { } r ? $", rate {F(r)}" : "") + $" (presynaptic membrane mean {F(x.MembraneMean)}, Var {F(x.MembraneVariance)})"
            : $"real-valued, mean {F(x.Mean)}, Var {F(x.Variance)}";
        console.MarkupLine($"[bold]{Markup.Escape(context.Neuron.Description)}[/]");
        console.MarkupLine(Markup.Escape($"fan-in {context.FanIn}, fan-out {context.FanOut}" +
                                         (context.HasRecurrence ? $", recurrent fan-in {context.RecurrentFanIn}" : "") + $"; input: {input}"));
        var table = new Table().AddColumns("method", "w mean", "w std", "bias");
        if (context.HasRecurrence) table.AddColumns("rec mean", "rec std");
        table.AddColumns(Markup.Escape("Var[I]"), "u mean", "u std", "P(fire)");
        var notes = new List<string>();
        foreach (var (name, p, error) in results)
        {
            if (p is null)
            {
                table.AddRow([name, .. Enumerable.Repeat("n/a", table.Columns.Count - 1)]);
                notes.Add($"{name}: not applicable: {error}");
                continue;
            }
            var cells = new List<string> { name, F(p.WeightMean), F(p.WeightStd), F(p.Bias) };
            if (context.HasRecurrence) cells.AddRange([F(p.RecurrentWeightMean), F(p.RecurrentWeightStd)]);
            cells.AddRange([F(p.InputCurrentVariance), F(p.MembraneMean), F(p.MembraneStd), F(p.RatePerStep ?? p.FiringProbability)]);
            table.AddRow([.. cells.Select(Markup.Escape)]);
            notes.Add($"{name}: {p.Describe()}");
        }
        console.Write(table);
        foreach (string note in notes) console.MarkupLine(Markup.Escape("  " + note));
    }
}
