namespace SpikeInit.Surrogates;

/// <summary>
/// A surrogate of Ding et al.'s Table A3 with one positive slope/height parameter a: the derivative of a step-like h from
/// 0 to 1, so its area is 1 whatever a, and its peak is proportional to a.
/// </summary>
public abstract record SlopeSurrogate : Surrogate
{
    private readonly string kind;
    private readonly double peakPerA;

    /// <summary>Sets a &gt; 0, the short name (<c>kind(a=…)</c>) and the peak per unit a.</summary>
    protected SlopeSurrogate(double a, string kind, double peakPerA)
    {
        A = a;
        this.kind = kind;
        this.peakPerA = peakPerA;
    }

    /// <summary>The parameter a (&gt; 0).</summary>
    public double A { get; init => field = Validate.Positive(value, "a"); }

    /// <inheritdoc />
    public sealed override string Name => $"{kind}(a={Validate.Format(A)})";
    /// <inheritdoc />
    public sealed override double Peak => peakPerA * A;
    /// <inheritdoc />
    public sealed override double Area => 1;
}
