namespace SpikeInit.Probing;

/// <summary>Welford's running mean and variance of a scalar (NaN values are skipped).</summary>
public sealed class RunningStatistic
{
    private double mean, m2;

    /// <summary>Number of (finite) values added.</summary>
    public int Count { get; private set; }

    /// <summary>Mean (NaN when empty).</summary>
    public double Mean => Count == 0 ? double.NaN : mean;

    /// <summary>Sample standard deviation (0 for one value, NaN when empty).</summary>
    public double Std => Count == 0 ? double.NaN : Count == 1 ? 0 : Math.Sqrt(m2 / (Count - 1));

    /// <summary>Adds a value.</summary>
    public void Add(double x)
    {
        if (double.IsNaN(x)) return;
        Count++;
        double delta = x - mean;
        mean += delta / Count;
        m2 += delta * (x - mean);
    }
}
