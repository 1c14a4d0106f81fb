using System.Text.Json.Serialization;

namespace SpikeInit.Training;

/// <summary>The outcome of a run.</summary>
public sealed record TrainingSummary(TrainingStatus Status, string? Message, double TestAccuracy, double BestValidationAccuracy,
                                     long? IterationsToTarget, int Epochs, double WallSeconds, IReadOnlyList<EpochMetrics> History)
{
    /// <summary>The initial-rate pre-training before the run, when it had one (<see cref="RunConfiguration.TargetInitialRate"/>).</summary>
    public InitialRateReport? InitialRate { get; init; }
}

/// <summary>How a run ended.</summary>
public enum TrainingStatus
{
    /// <summary>All epochs done.</summary>
    Completed,
    /// <summary>Stopped on request (Ctrl-C); a checkpoint of the progress was written.</summary>
    Cancelled,
    /// <summary>The loss or a gradient became NaN/Inf; the last good checkpoint is kept.</summary>
    Diverged,
}

/// <summary>Metrics of one epoch (priming epochs have negative numbers: −P … −1).</summary>
/// <remarks>A metric that is undefined (NaN: an empty split) is written to JSON as <c>null</c>.</remarks>
public sealed record EpochMetrics(int Epoch, long Iteration, double LearningRate,
                                  [property: JsonConverter(typeof(FiniteOrNullConverter))] double TrainLoss,
                                  [property: JsonConverter(typeof(FiniteOrNullConverter))] double TrainAccuracy,
                                  [property: JsonConverter(typeof(FiniteOrNullConverter))] double ValidationLoss,
                                  [property: JsonConverter(typeof(FiniteOrNullConverter))] double ValidationAccuracy,
                                  [property: JsonConverter(typeof(FiniteOrNullConverter))] double TestLoss,
                                  [property: JsonConverter(typeof(FiniteOrNullConverter))] double TestAccuracy,
                                  IReadOnlyList<double> LayerRates, double WallSeconds);
