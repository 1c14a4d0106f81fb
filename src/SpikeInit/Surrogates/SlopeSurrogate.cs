namespace SpikeInit.Surrogates;

/// <summary>A surrogate of Ding et al.'s Table A3 with one positive slope/height parameter a.</summary>
public abstract record SlopeSurrogate : Surrogate
{
    /// <summary>Sets a &gt; 0.</summary>
    protected SlopeSurrogate(double a) => A = a;

    /// <summary>The parameter a (&gt; 0).</summary>
    public double A { get; init => field = Validate.Positive(value, "a"); }
}
