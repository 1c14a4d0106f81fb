using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SpikeInit.Initialization;
using SpikeInit.Neurons;
using SpikeInit.Surrogates;
using SpikeInit.Theory;
using Spectre.Console;

namespace SpikeInit.Cli.Commands;

/// <summary>
/// <c>spikeinit init</c>: what one or all initialization methods do to one layer — weight mean/std, bias, and the
/// predicted input-current, membrane and firing statistics — as a table or as JSON (one object per method and line).
/// </summary>
internal static class InitCommand
{
    private sealed class Options
    {
        public readonly Option<string> Method = new("--method") { Description = "Method name, a comma-separated list, or 'all': " + string.Join(", ", Initializers.Names) + ".", DefaultValueFactory = _ => "all" };
        public readonly Option<int> FanIn = new("--fan-in") { Description = "Inputs per neuron n (conv: C_in*k*k), >= 1.", DefaultValueFactory = _ => 1000 };
        public readonly Option<int?> FanOut = new("--fan-out") { Description = "Outputs per input (dense: units; conv: C_out*k*k), >= 1. Default: fan-in." };
        public readonly Option<bool> Recurrent = new("--recurrent") { Description = "The layer also has recurrent weights among its fan-out neurons (recurrent fan-in = fan-out - 1)." };
        public readonly Option<string> Neuron = new("--neuron") { Description = "Target neuron: lif (discrete LIF), klambda (Ding's k/lambda IF), cuba (current-based LIF, stork).", DefaultValueFactory = _ => "lif" };
        public readonly Option<double> Theta = new("--theta") { Description = "Threshold theta > 0 (dimensionless).", DefaultValueFactory = _ => 1.0 };
        public readonly Option<double> Beta = new("--beta") { Description = "LIF leak beta in [0, 1] (Herranz-Celotti's alpha).", DefaultValueFactory = _ => 0.5 };
        public readonly Option<string> Reset = new("--reset") { Description = "LIF reset: minus (subtract at the next step, Micheli Eq. 13), subtract-before-decay, pre, post, none.", DefaultValueFactory = _ => "minus" };
        public readonly Option<double> K = new("--k") { Description = "k/lambda IF leak k in (0, 1].", DefaultValueFactory = _ => 0.8 };
        public readonly Option<double> Lambda = new("--lambda") { Description = "k/lambda IF input gain lambda > 0.", DefaultValueFactory = _ => 0.2 };
        public readonly Option<double> TauMem = new("--tau-mem") { Description = "Membrane time constant tau_mem in seconds (> 0), cuba.", DefaultValueFactory = _ => 20e-3 };
        public readonly Option<double> TauSyn = new("--tau-syn") { Description = "Synaptic time constant tau_syn in seconds (> 0), cuba.", DefaultValueFactory = _ => 10e-3 };
        public readonly Option<double> Dt = new("--dt") { Description = "Time step dt in seconds (> 0), cuba.", DefaultValueFactory = _ => 2e-3 };
        public readonly Option<string> Surrogate = new("--surrogate") { Description = "Surrogate shape for stability (normalized): rectangular, triangular, exponential, gaussian, sigmoid-derivative, fast-sigmoid, q-pseudo-spike.", DefaultValueFactory = _ => "exponential" };
        public readonly Option<string> Input = new("--input") { Description = "Layer input: spikes (of a presynaptic layer with membrane N(input-mean, input-variance) and threshold theta, or with --firing-probability / --rate) or gaussian (real-valued N(input-mean, input-variance)).", DefaultValueFactory = _ => "spikes" };
        public readonly Option<double> InputVariance = new("--input-variance") { Description = "Variance sigma^2 > 0 of the presynaptic membrane (spikes) or of the input (gaussian).", DefaultValueFactory = _ => 1.0 };
        public readonly Option<double> InputMean = new("--input-mean") { Description = "Mean of the presynaptic membrane (spikes) or of the input (gaussian).", DefaultValueFactory = _ => 0.0 };
        public readonly Option<double?> FiringProbability = new("--firing-probability") { Description = "Measured probability p in [0, 1] that an input spikes in one step (Micheli's data-dependent variant)." };
        public readonly Option<double?> Rate = new("--rate") { Description = "Presynaptic rate nu > 0: Hz for cuba (spikes arrive with p = nu*dt), spikes per step for lif/klambda." };
        public readonly Option<double?> MuU = new("--mu-u") { Description = "Fluctuation-driven target membrane mean mu_U < theta (general form, with --xi)." };
        public readonly Option<double?> Xi = new("--xi") { Description = "Fluctuation-driven xi = (theta - mu_U)/sigma_U > 0 (general form)." };
        public readonly Option<double> SigmaU = new("--sigma-u") { Description = "Fluctuation-driven target sigma_U > 0 (centered form, mu_U = 0).", DefaultValueFactory = _ => 1.0 };
        public readonly Option<double> Alpha = new("--alpha") { Description = "Feed-forward share alpha in (0, 1) of the membrane variance in recurrent layers (fluctuation, mean-driven).", DefaultValueFactory = _ => 0.9 };
        public readonly Option<string> Epsilon = new("--epsilon") { Description = "Kernel integrals: numerical (SpikeInit's discrete kernel, stork's default) or analytical.", DefaultValueFactory = _ => "numerical" };
        public readonly Option<double> Gain = new("--gain") { Description = "Kaiming gain g > 0 (sqrt 2 = He; 1 = stork's baseline).", DefaultValueFactory = _ => Math.Sqrt(2) };
        public readonly Option<double> Kappa = new("--kappa") { Description = "Lee 2020 kappa > 0 in N(0, kappa/n).", DefaultValueFactory = _ => 2.0 };
        public readonly Option<string> Probability = new("--probability") { Description = "Micheli's firing probability: gaussian (from the presynaptic membrane) or measured (--firing-probability).", DefaultValueFactory = _ => "gaussian" };
        public readonly Option<double?> OutputVariance = new("--output-variance") { Description = "Micheli's target membrane variance sigma_out^2 > 0 (default: preserve the input's)." };
        public readonly Option<string> Conditions = new("--conditions") { Description = "Stability conditions to apply, e.g. I,II,III,IV (default all) or none.", DefaultValueFactory = _ => "I,II,III,IV" };
        public readonly Option<string> Variant = new("--variant") { Description = "Stability formulas: derived (default) or code (the authors' code).", DefaultValueFactory = _ => "derived" };
        public readonly Option<string> Solve = new("--solve") { Description = "Stability condition IV solves for: sharpness (beta) or tail-fatness (q).", DefaultValueFactory = _ => "sharpness" };
        public readonly Option<bool> Json = new("--json") { Description = "Print one JSON object per method (one per line) instead of a table." };

        public IEnumerable<Option> All() =>
        [
            Method, FanIn, FanOut, Recurrent, Neuron, Theta, Beta, Reset, K, Lambda, TauMem, TauSyn, Dt, Surrogate, Input, InputVariance,
            InputMean, FiringProbability, Rate, MuU, Xi, SigmaU, Alpha, Epsilon, Gain, Kappa, Probability, OutputVariance, Conditions,
            Variant, Solve, Json,
        ];
    }

    public static Command Create(GlobalOptions globals)
    {
        var o = new Options();
        var command = new Command("init", "Show what initialization methods do to one layer: weight statistics, bias, and the predicted current, membrane and firing statistics.");
        foreach (Option option in o.All()) command.Options.Add(option);
        globals.SetAction(command, (parse, ctx) =>
        {
            InitContext context = Context(parse, o);
            InitOptions options = MethodOptions(parse, o);
            string requested = parse.GetValue(o.Method)!;
            bool all = requested.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);
            IReadOnlyList<string> names = all ? Initializers.Names : [.. requested.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            var results = new List<(string Name, Prediction? Theory, string? Error)>();
            foreach (string name in names)
            {
                Initializer method = Initializers.Create(name, options);
                try
                {
                    results.Add((method.Name, method.Theory(context), null));
                }
                catch (ArgumentException e) when (all)
                {
                    results.Add((method.Name, null, e.Message.Split(" (Parameter")[0]));
                }
            }
            if (parse.GetValue(o.Json)) WriteJson(ctx.Console, results);
            else WriteTable(ctx.Console, context, results);
            return 0;
        });
        return command;
    }

    private static InitContext Context(ParseResult parse, Options o)
    {
        Neuron neuron = Neuron(parse, o);
        int fanIn = parse.GetValue(o.FanIn);
        int fanOut = parse.GetValue(o.FanOut) ?? fanIn;
        double variance = Validate.Positive(parse.GetValue(o.InputVariance), "input-variance");
        double mean = parse.GetValue(o.InputMean);
        double? rate = parse.GetValue(o.Rate);
        InputStatistics input = Parse(parse.GetValue(o.Input)!, "input", ["spikes", "gaussian"]) switch
        {
            "gaussian" => InputStatistics.Gaussian(mean, variance) with { Rate = rate },
            _ when parse.GetValue(o.FiringProbability) is { } p => InputStatistics.Spikes(p, rate, mean, variance),
            _ when rate is { } r && neuron is CubaLifNeuron c => InputStatistics.Poisson(r, c.Parameters.Dt) with { MembraneMean = mean, MembraneVariance = variance },
            _ => InputStatistics.FromMembrane(neuron.Threshold, variance, mean, rate),
        };
        return parse.GetValue(o.Recurrent)
            ? InitContext.Recurrent(fanIn, fanOut, neuron, input)
            : InitContext.Dense(fanIn, fanOut, neuron, input);
    }

    private static Neuron Neuron(ParseResult parse, Options o)
    {
        double theta = parse.GetValue(o.Theta);
        return Parse(parse.GetValue(o.Neuron)!, "neuron", ["lif", "klambda", "cuba"]) switch
        {
            "klambda" => new KLambdaNeuron(new KLambdaParameters(parse.GetValue(o.K), parse.GetValue(o.Lambda), theta)),
            "cuba" => new CubaLifNeuron(new CubaLifParameters(parse.GetValue(o.Dt), parse.GetValue(o.TauMem), parse.GetValue(o.TauSyn), theta)),
            _ => new LifNeuron(new LifParameters(parse.GetValue(o.Beta), theta, ResetOf(parse.GetValue(o.Reset)!)),
                               new NormalizedSurrogate(ShapeNames[Parse(parse.GetValue(o.Surrogate)!, "surrogate", ShapeNames.Keys)])),
        };
    }

    private static readonly Dictionary<string, SurrogateShape> ShapeNames = new()
    {
        ["rectangular"] = SurrogateShape.Rectangular, ["triangular"] = SurrogateShape.Triangular,
        ["exponential"] = SurrogateShape.Exponential, ["gaussian"] = SurrogateShape.Gaussian,
        ["sigmoid-derivative"] = SurrogateShape.SigmoidDerivative, ["fast-sigmoid"] = SurrogateShape.FastSigmoid,
        ["q-pseudo-spike"] = SurrogateShape.QPseudoSpike,
    };

    private static LifReset ResetOf(string name) => Parse(name, "reset", ["minus", "subtract-before-decay", "pre", "post", "none"]) switch
    {
        "subtract-before-decay" => LifReset.SubtractBeforeDecay,
        "pre" => LifReset.ZeroBeforeDecay,
        "post" => LifReset.ZeroAfterInput,
        "none" => LifReset.None,
        _ => LifReset.SubtractNextStep,
    };

    private static InitOptions MethodOptions(ParseResult parse, Options o) => new()
    {
        Gain = Validate.Positive(parse.GetValue(o.Gain), "gain"),
        Kappa = Validate.Positive(parse.GetValue(o.Kappa), "kappa"),
        Probability = Parse(parse.GetValue(o.Probability)!, "probability", ["gaussian", "measured"]) == "measured" ? ProbabilitySource.Measured : ProbabilitySource.Gaussian,
        OutputVariance = parse.GetValue(o.OutputVariance),
        SigmaU = Validate.Positive(parse.GetValue(o.SigmaU), "sigma-u"),
        MuU = parse.GetValue(o.MuU),
        Xi = parse.GetValue(o.Xi),
        Alpha = Validate.InRange(parse.GetValue(o.Alpha), "alpha", 0, 1, lowOpen: true, highOpen: true),
        Epsilon = Parse(parse.GetValue(o.Epsilon)!, "epsilon", ["numerical", "analytical"]) == "analytical" ? EpsilonMode.Analytical : EpsilonMode.Numerical,
        Conditions = ConditionsOf(parse.GetValue(o.Conditions)!),
        Variant = Parse(parse.GetValue(o.Variant)!, "variant", ["derived", "code"]) == "code" ? FormulaVariant.Code : FormulaVariant.Derived,
        Solve = Parse(parse.GetValue(o.Solve)!, "solve", ["sharpness", "tail-fatness"]) == "tail-fatness" ? SurrogateTarget.TailFatness : SurrogateTarget.Sharpness,
    };

    private static StabilityConditions ConditionsOf(string text)
    {
        var result = StabilityConditions.None;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Equals("none", StringComparison.OrdinalIgnoreCase)) continue;
            result |= Parse(part, "conditions", ["I", "II", "III", "IV"]) switch
            {
                "I" => StabilityConditions.I,
                "II" => StabilityConditions.II,
                "III" => StabilityConditions.III,
                _ => StabilityConditions.IV,
            };
        }
        return result;
    }

    private static string Parse(string value, string option, IEnumerable<string> allowed)
    {
        string[] names = [.. allowed];
        return names.FirstOrDefault(a => a.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase))
               ?? throw new ArgumentException($"{option} = '{value}' is not one of {string.Join(", ", names)}");
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
            string regime = p.Regime switch
            {
                PredictionRegime.FreeMembrane => "free membrane (Campbell); u std is one neuron's temporal fluctuation",
                PredictionRegime.StabilityCondition => "stationary state of condition I",
                _ => p.RatePerStep is null ? "first step from rest" : "first step from rest; P(fire) column: stationary rate per step",
            };
            string surrogate = p.SurrogateDampening is not null
                ? $"; surrogate gamma {F(p.SurrogateDampening)}, beta {F(p.SurrogateSharpness)}" + (p.SurrogateTailFatness is { } q ? $", q {F(q)}" : "")
                : "";
            notes.Add($"{name}: {regime}{surrogate}" + (p.Notes.Count > 0 ? "; " + string.Join("; ", p.Notes) : ""));
        }
        console.Write(table);
        foreach (string note in notes) console.MarkupLine(Markup.Escape("  " + note));
    }

    private static void WriteJson(IAnsiConsole console, List<(string Name, Prediction? Theory, string? Error)> results)
    {
        foreach (var (name, p, error) in results)
        {
            var json = new JsonObject { ["method"] = name };
            if (p is null) json["error"] = error;
            else
            {
                json["weight_mean"] = p.WeightMean;
                json["weight_std"] = p.WeightStd;
                json["bias"] = p.Bias;
                if (p.RecurrentWeightStd is not null)
                {
                    json["recurrent_weight_mean"] = p.RecurrentWeightMean;
                    json["recurrent_weight_std"] = p.RecurrentWeightStd;
                }
                var theory = new JsonObject
                {
                    ["regime"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Regime.ToString()),
                    ["input_mean"] = p.InputCurrentMean,
                    ["input_variance"] = p.InputCurrentVariance,
                    ["membrane_mean"] = p.MembraneMean,
                    ["membrane_std"] = p.MembraneStd,
                    ["firing_probability"] = p.FiringProbability,
                };
                if (p.RatePerStep is { } rate) theory["rate_per_step"] = rate;
                if (p.MembraneMeanSpread is { } spread) theory["membrane_mean_spread"] = spread;
                if (p.SurrogateDampening is { } g) theory["surrogate_dampening"] = g;
                if (p.SurrogateSharpness is { } s) theory["surrogate_sharpness"] = s;
                if (p.SurrogateTailFatness is { } q) theory["surrogate_tail_fatness"] = q;
                json["theory"] = theory;
                json["notes"] = new JsonArray([.. p.Notes.Select(n => (JsonNode?)JsonValue.Create(n))]);
            }
            console.Profile.Out.Writer.WriteLine(json.ToJsonString());
        }
    }
}
