namespace SpikeInit.Training;

/// <summary>
/// Progress of a run after each batch: epoch, batch, iteration, running training accuracy and loss, and what the batch
/// itself measured (its task loss and accuracy, the learning rate it trained with, and the mean firing rate of every hidden
/// layer in spikes per neuron and step, as <see cref="Networks.LayerActivity.MeanRate"/>); observers such as
/// <see cref="TensorBoardLog"/> log these.
/// </summary>
/// <param name="Epoch">Epoch (negative while priming).</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Iteration">Optimizer steps so far.</param>
/// <param name="RunningAccuracy">Running training accuracy.</param>
/// <param name="Loss">Mean task loss of this epoch so far.</param>
/// <param name="BatchLoss">This batch's task loss (cross-entropy; NaN when not measured).</param>
/// <param name="BatchAccuracy">This batch's accuracy (NaN when not measured).</param>
/// <param name="LearningRate">The learning rate of this batch (NaN when not measured).</param>
/// <param name="LayerRates">Mean firing rate per hidden layer in this batch (null when not measured).</param>
public readonly record struct TrainingProgress(int Epoch, int Batch, int Batches, long Iteration, double RunningAccuracy, double Loss,
                                               double BatchLoss = double.NaN, double BatchAccuracy = double.NaN, double LearningRate = double.NaN,
                                               IReadOnlyList<double>? LayerRates = null);
