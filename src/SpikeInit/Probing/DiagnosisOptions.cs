namespace SpikeInit.Probing;

/// <summary>Thresholds of <see cref="Diagnosis"/> and what it knows about how the network was made.</summary>
public sealed record DiagnosisOptions
{
    /// <summary>
    /// A hidden layer is silent when at least this fraction of its (sample, neuron) pairs never spikes over the whole run,
    /// or when it emits no spike at all (default 0.99).
    /// </summary>
    public double SilentThreshold { get; init; } = 0.99;

    /// <summary>A hidden layer is saturated when at least this fraction of its (sample, neuron) pairs spikes at every step (default 0.5).</summary>
    public double SaturatedThreshold { get; init; } = 0.5;

    /// <summary>The surrogate derivative vanishes when its mean is below this fraction of its peak (default 0.01).</summary>
    public double VanishingSurrogate { get; init; } = 0.01;

    /// <summary>The initialization the network was made with, for the text (null: unknown, e.g. a saved model).</summary>
    public string? Init { get; init; }

    /// <summary>The architecture's default initialization, offered as an alternative fix when it differs from <see cref="Init"/>.</summary>
    public string? DefaultInit { get; init; }

    /// <summary>Validates the thresholds.</summary>
    public DiagnosisOptions Validated()
    {
        Validate.InRange(SilentThreshold, "silent threshold", 0, 1, lowOpen: true);
        Validate.InRange(SaturatedThreshold, "saturated threshold", 0, 1, lowOpen: true);
        Validate.InRange(VanishingSurrogate, "vanishing surrogate fraction", 0, 1, lowOpen: true, highOpen: true);
        return this;
    }
}
