using System.CommandLine;
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
        var neuron = new Option<string?>("--neuron") { Description = "Target neuron: " + string.Join("; ", NeuronModels.All.Select(m => $"{m.Name} ({m.Description})")) + ". Default: the paper's neuron of the method(s) (asymptote: klambda, fluctuation: cuba-lif), else lif." };
        var surrogate = new Option<string>("--surrogate") { Description = "Surrogate of the target neuron (stability's conditions III/IV need a normalized shape): " + string.Join(", ", SurrogateRegistry.All.Select(s => s.Name)) + ".", DefaultValueFactory = _ => "exponential" };
        var input = new Option<string>("--input") { Description = "Layer input: spikes (of a presynaptic layer with membrane N(input-mean, input-variance) and threshold theta, or with --firing-probability / --rate) or gaussian (real-valued N(input-mean, input-variance)).", DefaultValueFactory = _ => "spikes" };
        var inputVariance = new Option<double>("--input-variance") { Description = "Variance sigma^2 > 0 of the presynaptic membrane (spikes) or of the input (gaussian).", DefaultValueFactory = _ => 1.0 };
        var inputMean = new Option<double>("--input-mean") { Description = "Mean of the presynaptic membrane (spikes) or of the input (gaussian).", DefaultValueFactory = _ => 0.0 };
        var firingProbability = new Option<double?>("--firing-probability") { Description = "Measured probability p in [0, 1] that an input spikes in one step (Micheli's data-dependent variant)." };
        var rate = new Option<double?>("--rate") { Description = "Presynaptic rate nu > 0: Hz for current-based neurons (spikes arrive with p = nu*dt), spikes per step for lif/klambda." };
        var steps = new Option<int>("--steps") { Description = "Also predict lif/klambda layers over T steps and in the stationary regime (0: not; stationary always predicts its stationary regime).", DefaultValueFactory = _ => 0 };
        var command = new Command("init", "Show what initialization methods do to one layer: weight statistics, bias, and the predicted current, membrane and firing statistics.")
        {
            method, fanIn, fanOut, recurrent, neuron, surrogate, input, inputVariance, inputMean, firingProbability, rate, steps,
        };
        var registryOptions = RegistryOptions.AddTo(command, NeuronModels.Options.Concat(InitOptions.Specs));
        globals.SetAction(command, (parse, ctx) =>
        {
            Settings settings = registryOptions.Values(parse);
            string requested = parse.GetValue(method)!;
            bool all = requested.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);
            InitializerInfo[] methods = [.. all ? Initializers.All : requested.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Initializers.Get)];
            var (model, note) = Initializers.NeuronFor(methods, parse.GetValue(neuron));
            settings.RequireReaders([($"neuron {model.Name}", model.Options.Select(o => o.Name)), .. methods.Select(m => ($"method {m.Name}", m.Reads.AsEnumerable()))]);
            Neuron target = model.Build(settings) with { Surrogate = SurrogateRegistry.Get(parse.GetValue(surrogate)!).Create() };
            InputStatistics x = InputStatistics.Describe(EnumNames.Parse<InputKind>(parse.GetValue(input), "input"), parse.GetValue(inputMean),
                                                         parse.GetValue(inputVariance), parse.GetValue(firingProbability), parse.GetValue(rate), target);
            int n = parse.GetValue(fanIn), m = parse.GetValue(fanOut) ?? n;
            InitContext context = parse.GetValue(recurrent) ? InitContext.Recurrent(n, m, target, x) : InitContext.Dense(n, m, target, x);
            context = context with { Steps = parse.GetValue(steps) };
            var results = InitReport.Predict(methods, InitOptions.From(settings), context, tolerant: all);
            if (ctx.Json)
                foreach (var (name, p, error) in results)
                    ctx.Line((p?.ToJson() ?? new System.Text.Json.Nodes.JsonObject { ["method"] = name, ["error"] = error }).ToJsonString());
            else
            {
                var (table, notes) = InitReport.Table(context, results);
                foreach (string line in InitReport.Header(context).Prepend(note).OfType<string>()) ctx.Say(line);
                ctx.Show(table);
                foreach (string line in notes) ctx.Say("  " + line);
            }
            return 0;
        });
        return command;
    }
}
