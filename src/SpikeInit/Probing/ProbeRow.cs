namespace SpikeInit.Probing;

/// <summary>Statistics of one (configuration, layer, time step), aggregated over repeats (mean and std over repeats).</summary>
public sealed record ProbeRow(
    ProbeConfiguration Configuration, int Layer, int Time, int Repeats,
    double MembraneMean, double MembraneMeanStd, double MembraneVar, double MembraneVarStd,
    double Skewness, double SkewnessStd, double Kurtosis, double KurtosisStd,
    double FiringRate, double FiringRateStd, double SpikeCount, double SpikeCountStd,
    double SilentFraction, double SaturatedFraction, double TheoryMembraneVar, double TheoryFiringRate);

/// <summary>The gradient probe of one layer: mean surrogate derivative and weight-gradient norm (mean, std over repeats).</summary>
public sealed record GradientRow(ProbeConfiguration Configuration, int Layer, double SurrogateMean, double SurrogateMeanStd,
                                 double WeightGradNorm, double WeightGradNormStd);
