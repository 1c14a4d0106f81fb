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
    /// <summary>Feed-forward variance share α in recurrent populations (fluctuation-driven, mean-driven).</summary>
    public double Alpha { get; init; } = 0.9;
    /// <summary>How ε̄, ε̂ are computed.</summary>
    public EpsilonMode Epsilon { get; init; } = EpsilonMode.Numerical;
    /// <summary>Stability conditions to apply.</summary>
    public StabilityConditions Conditions { get; init; } = StabilityConditions.All;
    /// <summary>Derived or code variant of the stability formulas.</summary>
    public FormulaVariant Variant { get; init; } = FormulaVariant.Derived;
    /// <summary>What stability condition IV solves for.</summary>
    public SurrogateTarget Solve { get; init; } = SurrogateTarget.Sharpness;
}

/// <summary>All initialization methods by command-line name.</summary>
public static class Initializers
{
    /// <summary>The method names, baselines first.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "kaiming", "kaiming-uniform", "glorot", "glorot-uniform", "wu", "lee2016", "lee2020",
        "micheli", "fluctuation", "asymptote", "stability", "mean-driven",
    ];

    /// <summary>Creates a method by name (case-insensitive) with the options it uses.</summary>
    public static Initializer Create(string name, InitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        InitOptions o = options ?? new InitOptions();
        return name.Trim().ToLowerInvariant() switch
        {
            "kaiming" or "he" => new Kaiming(false, o.Gain),
            "kaiming-uniform" or "he-uniform" => new Kaiming(true, o.Gain),
            "glorot" or "xavier" => new Glorot(false),
            "glorot-uniform" or "xavier-uniform" => new Glorot(true),
            "wu" => new Wu(),
            "lee2016" => new Lee2016(),
            "lee2020" => new Lee2020(o.Kappa),
            "micheli" => new Micheli(o.Probability, o.OutputVariance),
            "fluctuation" when o.MuU is not null || o.Xi is not null =>
                FluctuationDriven.General(o.MuU ?? 0, o.Xi ?? throw new ArgumentException("the general fluctuation-driven form needs xi (--xi) with mu_u"), o.Alpha, o.Epsilon),
            "fluctuation" => new FluctuationDriven(o.SigmaU, o.Alpha, o.Epsilon),
            "asymptote" => new Asymptote(),
            "stability" => new StabilityBased(o.Conditions, o.Variant, o.Solve),
            "mean-driven" => new MeanDriven(o.Alpha, o.Epsilon),
            _ => throw new ArgumentException($"unknown initialization method '{name}'; choose one of {string.Join(", ", Names)}", nameof(name)),
        };
    }
}
