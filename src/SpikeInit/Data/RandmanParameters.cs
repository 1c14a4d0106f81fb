namespace SpikeInit.Data;

/// <summary>Parameters of the Randman dataset (Zenke &amp; Vogels 2021, as stork's <c>make_tempo_randman</c>); defaults are the paper's.</summary>
public sealed record RandmanParameters
{
    /// <summary>Classes (10).</summary>
    public int Classes { get; init => field = Validate.AtLeast(value, "classes", 1); } = 10;
    /// <summary>Input units (20).</summary>
    public int Units { get; init => field = Validate.AtLeast(value, "units", 1); } = 20;
    /// <summary>Time steps (100 of 2 ms: 100 ms of spikes, then 100 ms of silence).</summary>
    public int Steps { get; init => field = Validate.AtLeast(value, "steps", 1); } = 100;
    /// <summary>Fraction of the steps that carry spikes (0.5).</summary>
    public double StepFraction { get; init => field = Validate.InRange(value, "step_fraction", 0, 1, lowOpen: true); } = 0.5;
    /// <summary>Manifold dimension D (1).</summary>
    public int Dimensions { get; init => field = Validate.AtLeast(value, "dimensions", 1); } = 1;
    /// <summary>Spikes per unit m (1).</summary>
    public int SpikesPerUnit { get; init => field = Validate.AtLeast(value, "spikes_per_unit", 1); } = 1;
    /// <summary>Samples per class P (1000).</summary>
    public int SamplesPerClass { get; init => field = Validate.AtLeast(value, "samples_per_class", 1); } = 1000;
    /// <summary>Smoothness α of the manifolds (1).</summary>
    public double Alpha { get; init => field = Validate.Positive(value, "alpha"); } = 1.0;
    /// <summary>Seed (1).</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Time step dt in seconds (2 ms).</summary>
    public double Dt { get; init => field = Validate.Positive(value, "dt"); } = 2e-3;

    /// <summary>
    /// An SHD-shaped Randman (Rossbroich et al.'s SHD networks on a synthetic task): 700 units and 20 classes like SHD,
    /// 100 steps of 2 ms (spikes in the first 100 ms), 250 samples per class and smoothness α = 2 (32 Fourier terms) so
    /// that 700 units are generated in about a second.
    /// </summary>
    public static RandmanParameters ShdShaped { get; } = new() { Units = 700, Classes = 20, SamplesPerClass = 250, Alpha = 2 };
}
