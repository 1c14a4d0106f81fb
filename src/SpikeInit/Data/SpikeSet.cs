namespace SpikeInit.Data;

/// <summary>Labelled spike rasters: per sample a dense <c>Steps × Units</c> 0/1 array.</summary>
/// <param name="Name">Name.</param>
/// <param name="Rasters">One <c>Steps·Units</c> array per sample (row-major, time first).</param>
/// <param name="Labels">Class per sample.</param>
/// <param name="Steps">Time steps.</param>
/// <param name="Units">Input channels.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Dt">Seconds per step.</param>
public sealed record SpikeSet(string Name, byte[][] Rasters, byte[] Labels, int Steps, int Units, int Classes, double Dt)
{
    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Samples per class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (byte l in Labels) counts[l]++;
        return counts;
    }

    /// <summary>The samples with the given indices (rasters shared, not copied).</summary>
    public SpikeSet Subset(IReadOnlyList<int> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return this with { Name = name ?? Name, Rasters = [.. indices.Select(i => Rasters[i])], Labels = [.. indices.Select(i => Labels[i])] };
    }

    /// <summary>Mean rate per input unit in Hz.</summary>
    public double MeanRateHz() => Rasters.Sum(r => r.Sum(b => (double)b)) / ((double)Count * Units * Steps * Dt);
}
