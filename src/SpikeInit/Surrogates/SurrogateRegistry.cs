namespace SpikeInit.Surrogates;

/// <summary>
/// Every built-in surrogate by the name people give it (command line, help texts): one <see cref="SurrogateEntry"/> per
/// surrogate, the Herranz-Celotti &amp; Rouat shapes named by <see cref="EnumNames"/>. A new surrogate is its record (with
/// a <c>[JsonDerivedType]</c> on <see cref="Surrogate"/> so models save it) and one entry here.
/// </summary>
public static class SurrogateRegistry
{
    // Parameters shared by several entries (declared before All, which uses them).
    private static readonly SurrogateParameter Slope =
        Scale<SlopeSurrogate>("a", "slope a (scales the peak; the area stays 1)", s => s.A, (s, v) => s with { A = v });
    private static readonly SurrogateParameter Steepness =
        Scale<SuperSpike>("beta", "steepness β (the area is 2/β before rescaling)", s => s.Beta, (s, v) => s with { Beta = v });
    private static readonly SurrogateParameter Dampening =
        Scale<NormalizedSurrogate>("dampening", "height γ (the peak)", s => s.Dampening, (s, v) => s with { Dampening = v });
    private static readonly SurrogateParameter Sharpness =
        Scale<NormalizedSurrogate>("sharpness", "sharpness β (the width and area scale as 1/β)", s => s.Sharpness, (s, v) => s with { Sharpness = v });
    private static readonly SurrogateParameter TailFatness =
        Scale<NormalizedSurrogate>("q", "tail-fatness q > 1", s => s.Q, (s, v) => s with { Q = v });

    /// <summary>All entries, in help order.</summary>
    public static IReadOnlyList<SurrogateEntry> All { get; } =
    [
        new("arctan", "arctan (Fang et al. 2021, SpikingJelly ATan): h' = (α/2)/(1 + (παx/2)²), peak α/2, area 1", new ArcTan(),
            [Scale<ArcTan>("alpha", "sharpness α (peak α/2)", s => s.Alpha, (s, v) => s with { Alpha = v })], ["atan"]),
        new("sigmoid", "sigmoid (Ding et al. Table A3): h = σ(ax), peak a/4, area 1", new SigmoidSurrogate(), [Slope], []),
        new("tanh", "tanh (Ding et al. Table A3): h = (tanh(ax) + 1)/2, peak a/2, area 1", new TanhSurrogate(), [Slope], []),
        new("hardtanh", "hard tanh (Ding et al. Table A3): h' = a for |x| < 1/(2a), else 0; peak a, area 1", new HardTanh(), [Slope], ["hard-tanh"]),
        new("superspike", "SuperSpike as stork computes it: h' = 1/(β|x| + 1)², peak 1, area 2/β", new SuperSpike(), [Steepness], []),
        new("superspike-rescaled", "SuperSpike times (β + 1)², 1 at rest for θ = 1 (stork's SuperSpike_rescaled)", new SuperSpike(rescaled: true),
            [Steepness], []),
        .. Enum.GetValues<SurrogateShape>().Select(Normalized),
    ];

    /// <summary>The entry named <paramref name="name"/> (or aliased so), case-insensitive; else an error listing the names.</summary>
    public static SurrogateEntry Get(string name) =>
        All.FirstOrDefault(e => e.Matches(name?.Trim() ?? ""))
        ?? throw new ArgumentException($"unknown surrogate '{name}'; choose one of {string.Join(", ", All.Select(e => e.Name))}", nameof(name));

    private static SurrogateEntry Normalized(SurrogateShape shape)
    {
        var surrogate = new NormalizedSurrogate(shape);
        return new(EnumNames.Of(shape), $"normalized (Herranz-Celotti & Rouat): γ·f(βx) with {surrogate.Function.Formula}; peak γ, area γ/β",
                   surrogate, shape == SurrogateShape.QPseudoSpike ? [Dampening, Sharpness, TailFatness] : [Dampening, Sharpness], []);
    }

    private static SurrogateParameter Scale<T>(string name, string description, Func<T, double> get, Func<T, double, T> with) where T : Surrogate =>
        new(name, description, s => get((T)s), (s, v) => with((T)s, v));
}
