namespace SpikeInit.Probing;

/// <summary>
/// What <see cref="Diagnosis"/> recommends, backed by the measured numbers: a kind, a sentence for people, and the concrete
/// command-line fix (<c>--calibrate rate:R</c>, or <c>--init NAME</c> as an alternative) that re-running
/// <c>spikeinit diagnose</c>, <c>train</c> or <c>calibrate</c> with accepts.
/// </summary>
/// <param name="Kind">The finding.</param>
/// <param name="Layer">The layer it concerns (null when healthy).</param>
/// <param name="Text">The explanation with the numbers.</param>
/// <param name="Option">The fix's option, <c>--calibrate</c> or <c>--init</c> (null when nothing needs fixing).</param>
/// <param name="Value">The fix's value, e.g. <c>rate:0.12</c> or <c>micheli</c>.</param>
/// <param name="AlternativeInit">Another initialization that may avoid the problem (the architecture's default), or null.</param>
public sealed record Recommendation(RecommendationKind Kind, int? Layer, string Text, string? Option, string? Value, string? AlternativeInit)
{
    /// <summary>The fix as command-line arguments (empty when healthy).</summary>
    public IReadOnlyList<string> Arguments => Option is null || Value is null ? [] : [Option, Value];

    /// <summary>The fix as one string, e.g. <c>--calibrate rate:0.12</c> (null when healthy).</summary>
    public string? Fix => Option is null ? null : $"{Option} {Value}";
}
