using SpikeInit.Initialization;

namespace SpikeInit.Probing;

/// <summary>Everything measured for one configuration.</summary>
/// <param name="Configuration">The configuration.</param>
/// <param name="Rows">One row per (layer, time).</param>
/// <param name="Gradients">One row per weighted layer (empty unless requested).</param>
/// <param name="CollapsedRepeats">Repeats in which some layer emitted no spike at all (over all T steps and the batch).</param>
/// <param name="Seconds">Wall time.</param>
public sealed record ProbeResult(ProbeConfiguration Configuration, IReadOnlyList<ProbeRow> Rows, IReadOnlyList<GradientRow> Gradients,
                                 int CollapsedRepeats, double Seconds)
{
    /// <summary>Per repeat, the first probe layer that emitted no spike at all, or null (the repeat did not collapse).</summary>
    public IReadOnlyList<int?> FirstSilentLayers { get; init; } = [];

    /// <summary>Per repeat, the calibration of every calibrated layer (empty without <see cref="ProbeConfiguration.Calibrate"/>).</summary>
    public IReadOnlyList<IReadOnlyList<LayerCalibration>> Calibrations { get; init; } = [];

    /// <summary>The input statistics the initializer was given (measured from the data for dataset input).</summary>
    public InputStatistics? InputStatistics { get; init; }

    /// <summary>
    /// Whether the theory firing rate is a long-run prediction (a stationary rate, the free membrane, a stability
    /// condition), to be compared with the measured time average; otherwise it is the first step from rest, compared with t = 0.
    /// </summary>
    public bool StationaryTheory { get; init; }

    /// <summary>Fraction of repeats that collapsed.</summary>
    public double CollapseFraction => (double)CollapsedRepeats / Configuration.Repeats;

    /// <summary>The row of a layer and time step.</summary>
    public ProbeRow At(int layer, int time) => Rows.First(r => r.Layer == layer && r.Time == time);

    /// <summary>The deepest layer's index.</summary>
    public int LastLayer => Rows.Max(r => r.Layer);
}

/// <summary>Progress of a probe: repeats and layers done.</summary>
/// <param name="Repeat">Repeat being run (0-based).</param>
/// <param name="Layer">Layers finished in this repeat.</param>
/// <param name="Layers">Layers per repeat.</param>
public readonly record struct ProbeProgress(int Repeat, int Layer, int Layers);
