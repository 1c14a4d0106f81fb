namespace SpikeInit.Probing;

/// <summary>What <see cref="Diagnosis"/> found wrong (the first finding in this order decides the recommendation).</summary>
public enum RecommendationKind
{
    /// <summary>Nothing: no silent or saturated hidden layer and no vanishing surrogate derivative.</summary>
    Healthy,
    /// <summary>A hidden layer is silent (see <see cref="DiagnosisOptions.SilentThreshold"/>).</summary>
    Silent,
    /// <summary>A hidden layer is saturated (see <see cref="DiagnosisOptions.SaturatedThreshold"/>).</summary>
    Saturated,
    /// <summary>A hidden layer's mean surrogate derivative is a vanishing fraction of its peak (see <see cref="DiagnosisOptions.VanishingSurrogate"/>).</summary>
    VanishingSurrogate,
}
