using System.Globalization;
using SpikeInit.Networks;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// Logs a training run as TensorBoard event files (TorchSharp's <c>SummaryWriter</c>) in one folder. Per iteration (step =
/// optimizer steps so far): <c>iteration/loss</c> (the batch's cross-entropy), <c>iteration/accuracy</c>,
/// <c>iteration/learning_rate</c> and <c>iteration/firing_rate/hidden_K</c> (spikes per neuron and step of hidden layer K,
/// 1-based). Per supervised epoch (step = epoch): <c>epoch/train_loss</c>, <c>epoch/train_accuracy</c>,
/// <c>epoch/validation_loss</c>, <c>epoch/validation_accuracy</c>, <c>epoch/test_loss</c>, <c>epoch/test_accuracy</c> (where
/// the split exists), <c>epoch/learning_rate</c>, <c>epoch/firing_rate/hidden_K</c>, and histograms <c>weights/NAME</c> and
/// <c>gradients/NAME</c> (the last batch's gradient) of every parameter. A resumed run appends a new event file to the folder.
/// </summary>
public sealed class TensorBoardLog
{
    private readonly TorchSharp.Modules.SummaryWriter writer;

    /// <summary>A log writing into <paramref name="folder"/> (made if missing; it must be a writable folder).</summary>
    public TensorBoardLog(string folder)
    {
        IO.OutputPath.Folder(folder, "tensorboard");
        Folder = folder;
        writer = utils.tensorboard.SummaryWriter(folder);
    }

    /// <summary>The folder of the event files.</summary>
    public string Folder { get; }

    /// <summary>Logs one batch's loss, accuracy, learning rate and hidden firing rates at step <see cref="TrainingProgress.Iteration"/>.</summary>
    public void Batch(TrainingProgress progress)
    {
        int step = Step(progress.Iteration);
        Scalar("iteration/loss", progress.BatchLoss, step);
        Scalar("iteration/accuracy", progress.BatchAccuracy, step);
        Scalar("iteration/learning_rate", progress.LearningRate, step);
        for (int k = 0; k < (progress.LayerRates?.Count ?? 0); k++) Scalar(RateTag("iteration", k), progress.LayerRates![k], step);
    }

    /// <summary>Logs one finished epoch (priming epochs, numbered below 0, are not logged) and its weight and gradient histograms.</summary>
    public void Epoch(EpochMetrics metrics, SpikingNetwork network)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(network);
        if (metrics.Epoch < 0) return;
        int step = metrics.Epoch;
        foreach (var (tag, value) in (ReadOnlySpan<(string, double)>)[("train_loss", metrics.TrainLoss), ("train_accuracy", metrics.TrainAccuracy),
                 ("validation_loss", metrics.ValidationLoss), ("validation_accuracy", metrics.ValidationAccuracy), ("test_loss", metrics.TestLoss),
                 ("test_accuracy", metrics.TestAccuracy), ("learning_rate", metrics.LearningRate)])
            Scalar("epoch/" + tag, value, step);
        for (int k = 0; k < metrics.LayerRates.Count; k++) Scalar(RateTag("epoch", k), metrics.LayerRates[k], step);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            writer.add_histogram("weights/" + name, parameter.detach().to(ScalarType.Float64).cpu(), step);
            if (parameter.grad is { } gradient) writer.add_histogram("gradients/" + name, gradient.detach().to(ScalarType.Float64).cpu(), step);
        }
    }

    private static string RateTag(string scope, int layer) => $"{scope}/firing_rate/hidden_{(layer + 1).ToString(CultureInfo.InvariantCulture)}";

    private static int Step(long iteration) => (int)Math.Min(iteration, int.MaxValue);

    private void Scalar(string tag, double value, int step)
    {
        if (double.IsFinite(value)) writer.add_scalar(tag, (float)value, step);
    }
}
