namespace SpikeInit.Training;

/// <summary>Progress of a run: epoch, batch, iteration, running training accuracy and loss.</summary>
public readonly record struct TrainingProgress(int Epoch, int Batch, int Batches, long Iteration, double RunningAccuracy, double Loss);
