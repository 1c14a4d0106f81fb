using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>Method parameters that the command line (or a config file) can set; each method reads the ones it uses.</summary>
public sealed record InitOptions
{
    /// <summary>Kaiming gain g (√2: He et al.; 1: stork's baseline).</summary>
    public double Gain { get; init; } = Math.Sqrt(2);
    /// <summary>Lee 2020's κ.</summary>
    public double Kappa { get; init; } = 2.0;
    /// <summary>Micheli: where the firing probability comes from.</summary>
    public ProbabilitySource Probability { get; init; } = ProbabilitySource.Gaussian;
    /// <summary>Micheli: target membrane variance σ_out² (null: preserve the input's).</summary>
    public double? OutputVariance { get; init; }
    /// <summary>Fluctuation-driven: centered target σ_U.</summary>
    public double SigmaU { get; init; } = 1.0;
    /// <summary>Fluctuation-driven general form: μ_U (with <see cref="Xi"/>).</summary>
    public double? MuU { get; init; }
    /// <summary>Fluctuation-driven general form: ξ = (θ − μ_U)/σ_U.</summary>
    public double? Xi { get; init; }
    /// <summary>Feed-forward variance share α in recurrent populations (fluctuation-driven, mean-driven, stationary).</summary>
    public double Alpha { get; init; } = 0.9;
    /// <summary>How ε̄, ε̂ are computed.</summary>
    public EpsilonMode Epsilon { get; init; } = EpsilonMode.Numerical;
    /// <summary>Stability conditions to apply.</summary>
    public StabilityConditions Conditions { get; init; } = StabilityConditions.All;
    /// <summary>Derived or code variant of the stability formulas.</summary>
    public FormulaVariant Variant { get; init; } = FormulaVariant.Derived;
    /// <summary>What stability condition IV solves for.</summary>
    public SurrogateTarget Solve { get; init; } = SurrogateTarget.Sharpness;

    /// <summary>Every option a method may read, with unit, range and default (the command line's options and help).</summary>
    public static IReadOnlyList<OptionSpec> Specs { get; } =
    [
        new("gain", "Kaiming gain g > 0 (sqrt 2 = He; 1 = stork's baseline).", "1.4142135623730951"),
        new("kappa", "Lee 2020 kappa > 0 in N(0, kappa/n).", "2"),
        new("probability", "Micheli's firing probability: gaussian (from the presynaptic membrane) or measured (--firing-probability).", "gaussian"),
        new("output-variance", "Micheli's target membrane variance sigma_out^2 > 0 (default: preserve the input's)."),
        new("sigma-u", "Fluctuation-driven target sigma_U > 0 (centered form, mu_U = 0).", "1"),
        new("mu-u", "Fluctuation-driven target membrane mean mu_U < theta (general form, with --xi)."),
        new("xi", "Fluctuation-driven xi = (theta - mu_U)/sigma_U > 0 (general form)."),
        new("alpha", "Feed-forward share alpha in (0, 1) of the membrane variance in recurrent layers (fluctuation, mean-driven, stationary).", "0.9"),
        new("epsilon", "Kernel integrals: numerical (the neuron's own discrete kernel, stork's default) or analytical.", "numerical"),
        new("conditions", "Stability conditions to apply, e.g. I,II,III,IV (default all) or none.", "I,II,III,IV"),
        new("variant", "Stability formulas: derived (default) or code (the authors' code).", "derived"),
        new("solve", "Stability condition IV solves for: sharpness (beta) or tail-fatness (q).", "sharpness"),
    ];

    /// <summary>Options from text values (defaults from <see cref="Specs"/>), each validated with its name in the error.</summary>
    public static InitOptions From(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings s = settings.WithDefaults(Specs);
        return new InitOptions
        {
            Gain = Validate.Positive(s.Number("gain"), "gain"),
            Kappa = Validate.Positive(s.Number("kappa"), "kappa"),
            Probability = s.Choice<ProbabilitySource>("probability"),
            OutputVariance = s.OptionalNumber("output-variance"),
            SigmaU = Validate.Positive(s.Number("sigma-u"), "sigma-u"),
            MuU = s.OptionalNumber("mu-u"),
            Xi = s.OptionalNumber("xi"),
            Alpha = Validate.InRange(s.Number("alpha"), "alpha", 0, 1, lowOpen: true, highOpen: true),
            Epsilon = s.Choice<EpsilonMode>("epsilon"),
            Conditions = ConditionsOf(s.Text("conditions")!),
            Variant = s.Choice<FormulaVariant>("variant"),
            Solve = s.Choice<SurrogateTarget>("solve"),
        };
    }

    private static StabilityConditions ConditionsOf(string text)
    {
        var result = StabilityConditions.None;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            if (!part.Equals("none", StringComparison.OrdinalIgnoreCase))
                result |= EnumNames.Parse<StabilityConditions>(part, "conditions");
        return result;
    }
}
