using static TorchSharp.torch;

namespace SpikeInit.Data;

/// <summary>
/// A labelled dataset split into training, validation and test mini-batches. Inputs are either static <c>[B, ...]</c>
/// (presented for <see cref="Steps"/> steps) or sequences <c>[T, B, ...]</c>. Every batch order and every random
/// encoding is derived from the seed and the epoch, so a resumed run sees exactly the same data.
/// </summary>
public interface ITrainingData
{
    /// <summary>Name for reports.</summary>
    string Name { get; }

    /// <summary>Number of classes.</summary>
    int Classes { get; }

    /// <summary>Training samples.</summary>
    int TrainCount { get; }

    /// <summary>Steps for static inputs (null when the batches are sequences).</summary>
    int? Steps { get; }

    /// <summary>The steps of one run of the network: <see cref="Steps"/> for static inputs, the sequences' length otherwise (1 when unknown).</summary>
    int RunSteps => Steps ?? 1;

    /// <summary>Per-sample input shape the network must accept.</summary>
    long[] InputShape { get; }

    /// <summary>Samples per training batch.</summary>
    int BatchSize { get; }

    /// <summary>Where each split comes from and how many samples it has (for the run's output and summary).</summary>
    string Splits => $"{TrainCount} training samples";

    /// <summary>The shuffled training batches of an epoch.</summary>
    IEnumerable<(Tensor X, Tensor Y)> Train(int epoch);

    /// <summary>Validation batches (may be empty).</summary>
    IEnumerable<(Tensor X, Tensor Y)> Validation();

    /// <summary>Test batches.</summary>
    IEnumerable<(Tensor X, Tensor Y)> Test();
}
