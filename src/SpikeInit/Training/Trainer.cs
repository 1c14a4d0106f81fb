using System.Text.Json.Serialization;
using SpikeInit.Data;
using SpikeInit.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// BPTT training with surrogate gradients (the network knows nothing of this): one dispose scope per batch, cross-entropy
/// on the readout plus regularizers, gradient clipping, NaN/Inf detection, per-epoch metrics, and a checkpoint after every
/// epoch (and on cancellation) written atomically with the optimizer state and the exact position in the data, so that
/// <see cref="Resume(string, ITrainingData, IProgress{TrainingProgress}?, int?, CancellationToken)"/> reaches the same numbers as an uninterrupted run. Files in the run folder: <c>checkpoint/</c>,
/// <c>metrics.csv</c>, <c>summary.json</c>, <c>learning_curves.png/.svg</c>, <c>model/</c>.
/// </summary>
public sealed class Trainer
{
    private const int Window = 20;

    /// <summary>Trains a fresh run.</summary>
    public static TrainingSummary Train(SpikingNetwork network, ITrainingData data, TrainingOptions options, string? runDirectory,
                                        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default) =>
        Train(network, data, options, runDirectory, null, progress, cancellation);

    /// <summary>
    /// Trains a fresh run whose <c>run.json</c> holds <paramref name="configuration"/>: every checkpoint keeps it, so that
    /// a resume can tell an edited <c>run.json</c> from the run's own.
    /// </summary>
    internal static TrainingSummary Train(SpikingNetwork network, ITrainingData data, TrainingOptions options, string? runDirectory,
                                          RunConfiguration? configuration, IProgress<TrainingProgress>? progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        var state = new RunState { Options = options, Run = configuration };
        return Run(network, data, state, runDirectory, progress, cancellation);
    }

    /// <summary>
    /// Continues the run in <paramref name="runDirectory"/> from its last checkpoint with the same data; with
    /// <paramref name="epochs"/> larger than the run's, a run (finished or not) goes on to that many epochs.
    /// </summary>
    public static TrainingSummary Resume(string runDirectory, ITrainingData data, IProgress<TrainingProgress>? progress = null,
                                         int? epochs = null, CancellationToken cancellation = default) =>
        Resume(runDirectory, data, null, progress, epochs, cancellation);

    /// <summary>As the public overload; with <paramref name="configuration"/> (the run's <c>run.json</c>), checkpoints keep it from now on.</summary>
    internal static TrainingSummary Resume(string runDirectory, ITrainingData data, RunConfiguration? configuration,
                                           IProgress<TrainingProgress>? progress, int? epochs, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var (network, state, optimizerState) = Checkpoint.Load(Path.Combine(runDirectory, "checkpoint"));
        network.MoveTo(Runtime.ComputeDevice.Parse((configuration ?? state.Run)?.Device));   // the run's device (older runs: the CPU)
        if (epochs is { } e && e != state.Options.Epochs)
            state = state with { Options = state.Options with { Epochs = Validate.AtLeast(e, "epochs", state.Options.Epochs) } };
        if (configuration is not null) state = state with { Run = configuration with { Options = state.Options } };
        return Run(network, data, state, runDirectory, progress, cancellation, optimizerState);
    }

    private static TrainingSummary Run(SpikingNetwork net, ITrainingData data, RunState state, string? dir,
                                       IProgress<TrainingProgress>? progress, CancellationToken cancellation, byte[]? optimizerState = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        TrainingOptions o = state.Options;
        net.UseTimeChunk(o.TimeChunk);                                               // before the estimate: it counts the chunk
        NetworkSize.Require(net.Spec, data.BatchSize, data.RunSteps, "training");
        if (!net.Spec.InputShape.SequenceEqual(data.InputShape))
            throw new ArgumentException($"the network expects inputs of shape [{string.Join(", ", net.Spec.InputShape)}] but {data.Name} gives [{string.Join(", ", data.InputShape)}]");
        if (net.OutputShape.Length != 1 || net.OutputShape[0] < data.Classes)
            throw new ArgumentException($"the network's output [{string.Join(", ", net.OutputShape)}] cannot classify {data.Classes} classes");
        Optimizer optimizer = Optimizer.Create(o.Optimizer, net.parameters(), o.LearningRate, o.WeightDecay, o.Momentum);
        if (optimizerState is not null)
        {
            using var reader = new BinaryReader(new MemoryStream(optimizerState));
            try
            {
                optimizer.Load(reader);
            }
            catch (Exception e) when (e is EndOfStreamException or ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
            {
                throw new InvalidDataException($"{Checkpoint.OptimizerFile}: optimizer state does not fit the network ({Validate.Message(e)})", e);
            }
            if (reader.BaseStream.Position != reader.BaseStream.Length)
                throw new InvalidDataException($"{Checkpoint.OptimizerFile}: {reader.BaseStream.Length - reader.BaseStream.Position} bytes after the optimizer state");
        }
        TensorBoardLog? board = o.TensorBoard is { } logs ? new TensorBoardLog(logs) : null;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double wallOffset = state.WallSeconds;
        int total = o.PrimingEpochs + o.Epochs, batchesPerEpoch = BatchesPerEpoch(data, o);
        if (state.NextBatch > batchesPerEpoch)
            throw new InvalidDataException($"{Path.Combine(dir ?? ".", "checkpoint", Checkpoint.StateFile)}: next_batch = {state.NextBatch} is outside [0, {batchesPerEpoch}] (batches per epoch of {data.Name})");
        try
        {
            for (; state.NextEpoch < total; state.NextEpoch++, state.NextBatch = 0, state.Partial = new PartialEpoch())
            {
                int epoch = state.NextEpoch - o.PrimingEpochs;          // negative while priming
                bool priming = epoch < 0;
                optimizer.LearningRate = priming ? o.LearningRate : o.Schedule.Rate(o.LearningRate, epoch, o.Epochs);
                int index = 0;
                foreach (var (x, y) in data.Train(state.NextEpoch))
                {
                    if (o.MaxBatches > 0 && index >= o.MaxBatches) break;
                    if (index++ < state.NextBatch) continue;             // resume inside an epoch: same order, skip done batches
                    if (cancellation.IsCancellationRequested)
                    {
                        state.WallSeconds = wallOffset + clock.Elapsed.TotalSeconds;
                        if (dir is not null) Checkpoint.Save(Path.Combine(dir, "checkpoint"), net, optimizer, state);
                        return Summary(state, TrainingStatus.Cancelled, $"stopped at epoch {state.NextEpoch}, batch {state.NextBatch}; resume with the run folder", net, data, dir);
                    }
                    var (batchLoss, batchAccuracy, rates) = TrainBatch(net, data, optimizer, state, x, y, priming, epoch);
                    state.NextBatch++;
                    var report = new TrainingProgress(state.NextEpoch - o.PrimingEpochs, state.NextBatch, batchesPerEpoch, state.Iteration, state.RunningAccuracy,
                                                      state.Partial.LossSum / Math.Max(state.Partial.Count, 1), batchLoss, batchAccuracy, optimizer.LearningRate, rates);
                    board?.Batch(report);
                    progress?.Report(report);
                }
                state.WallSeconds = wallOffset + clock.Elapsed.TotalSeconds;
                state.History.Add(EndEpoch(net, data, state, epoch, optimizer.LearningRate, o));
                board?.Epoch(state.History[^1], net);
                if (dir is not null)
                {
                    var next = state with { NextEpoch = state.NextEpoch + 1, NextBatch = 0, Partial = new PartialEpoch() };
                    Checkpoint.Save(Path.Combine(dir, "checkpoint"), net, optimizer, next);
                    TrainingReport.WriteMetrics(dir, state.History);
                }
            }
        }
        catch (TrainingDivergedException e)
        {
            state.WallSeconds = wallOffset + clock.Elapsed.TotalSeconds;
            return Summary(state, TrainingStatus.Diverged, e.Message, net, data, dir);
        }
        state.WallSeconds = wallOffset + clock.Elapsed.TotalSeconds;
        if (dir is not null) ModelStore.Save(net, Path.Combine(dir, "model"));
        return Summary(state, TrainingStatus.Completed, null, net, data, dir);
    }

    private static int BatchesPerEpoch(ITrainingData data, TrainingOptions o)
    {
        int batches = (int)Math.Ceiling(data.TrainCount / (double)data.BatchSize);
        return o.MaxBatches > 0 ? Math.Min(batches, o.MaxBatches) : batches;
    }

    /// <summary>One optimizer step; returns the batch's task loss, accuracy and mean firing rate per hidden layer.</summary>
    private static (double Loss, double Accuracy, double[] Rates) TrainBatch(SpikingNetwork net, ITrainingData data, Optimizer optimizer, RunState state,
                                                                             Tensor x, Tensor y, bool priming, int epoch)
    {
        TrainingOptions o = state.Options;
        using var scope = NewDisposeScope();
        NetworkRun run = net.Run(x, data.Steps, Recording.Spikes);
        Tensor[] hidden = HiddenSpikes(net, run);
        Tensor logits = run.Output[.., ..(int)data.Classes];
        Tensor task = Losses.CrossEntropy(logits, y, o.LabelSmoothing);
        Tensor loss;
        if (priming) loss = o.Priming.Loss(hidden, 0, 1);
        else
        {
            loss = task;
            foreach (Regularizer r in o.Regularizers) loss = loss.Plus(r.Loss(hidden, epoch, o.Epochs));
        }
        double value = loss.item<float>();
        if (!double.IsFinite(value))
            throw new TrainingDivergedException($"the loss became {value} at epoch {epoch}, iteration {state.Iteration + 1}; the last good checkpoint is kept (lower the learning rate or add gradient clipping)");
        optimizer.ZeroGrad();
        if (loss.requires_grad) loss.backward();
        double norm = GradientNorm(optimizer.Parameters);
        if (!double.IsFinite(norm))
            throw new TrainingDivergedException($"a gradient became {norm} at epoch {epoch}, iteration {state.Iteration + 1}; the last good checkpoint is kept");
        if (o.ClipNorm > 0 && norm > o.ClipNorm)
            using (no_grad())
                foreach (Parameter p in optimizer.Parameters)
                    if (p.grad is { } g) g.TimesInPlace(o.ClipNorm / norm);
        optimizer.Step();
        net.Constrain();
        state.Iteration++;
        using var noGrad = no_grad();
        double accuracy = Losses.Accuracy(logits, y);
        int n = (int)y.shape[0];
        PartialEpoch part = state.Partial;
        double taskLoss = task.item<float>();
        part.LossSum += taskLoss * n;
        part.Correct += accuracy * n;
        part.Count += n;
        double[] rates = [.. hidden.Select(h => h.mean().item<float>() * (double)n)];
        part.RateSums = part.RateSums.Length == 0 ? rates : [.. part.RateSums.Zip(rates, (a, b) => a + b)];
        state.RecentAccuracy.Add(accuracy);
        if (state.RecentAccuracy.Count > Window) state.RecentAccuracy.RemoveAt(0);
        if (!priming && state.IterationsToTarget is null && state.RecentAccuracy.Count == Window && state.RunningAccuracy >= o.TargetAccuracy)
            state.IterationsToTarget = state.Iteration;
        return (taskLoss, accuracy, [.. rates.Select(r => r / n)]);
    }

    /// <summary>The spikes of every hidden layer of a run (all spiking layers but the last), as the rate terms read them.</summary>
    internal static Tensor[] HiddenSpikes(SpikingNetwork net, NetworkRun run) =>
        [.. run.Layers.Where(l => l.Index < net.Blocks.Count - 1 && l.Spikes is not null).Select(l => l.Spikes!)];

    private static double GradientNorm(IReadOnlyList<Parameter> parameters)
    {
        using var noGrad = no_grad();
        double sum = 0;
        foreach (Parameter p in parameters)
            if (p.grad is { } g) sum += g.square().sum().item<float>();
        return Math.Sqrt(sum);
    }

    private static EpochMetrics EndEpoch(SpikingNetwork net, ITrainingData data, RunState state, int epoch, double lr, TrainingOptions o)
    {
        var (valLoss, valAcc) = Evaluate(net, data, data.Validation(), o);
        var (testLoss, testAcc) = Evaluate(net, data, data.Test(), o);
        foreach (var (split, loss, accuracy) in new[] { ("validation", valLoss, valAcc), ("test", testLoss, testAcc) })
            if (!double.IsNaN(accuracy) && !double.IsFinite(loss))      // batches were evaluated, and the loss is NaN/Inf
                throw new TrainingDivergedException($"the {split} loss became {loss} after epoch {epoch}; the last good checkpoint is kept (lower the learning rate or add gradient clipping)");
        PartialEpoch p = state.Partial;
        int count = Math.Max(p.Count, 1);
        if (!double.IsNaN(valAcc)) state.BestValidationAccuracy = Math.Max(state.BestValidationAccuracy, valAcc);
        return new EpochMetrics(epoch, state.Iteration, lr, p.LossSum / count, p.Correct / count, valLoss, valAcc, testLoss, testAcc,
                                [.. p.RateSums.Select(r => r / count)], state.WallSeconds);
    }

    /// <summary>Mean loss and accuracy over batches (NaN, NaN when there are none), in eval mode (the network's mode is restored).</summary>
    public static (double Loss, double Accuracy) Evaluate(SpikingNetwork network, ITrainingData data, IEnumerable<(Tensor X, Tensor Y)> batches,
                                                          TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(batches);
        using var noGrad = no_grad();
        double loss = 0, correct = 0;
        int count = 0;
        bool training = network.training;
        network.eval();   // normalization layers use their running statistics
        try
        {
            foreach (var (x, y) in batches)
            {
                using var scope = NewDisposeScope();
                Tensor logits = network.Run(x, data.Steps).Output[.., ..(int)data.Classes];
                int n = (int)y.shape[0];
                loss += Losses.CrossEntropy(logits, y, options?.LabelSmoothing ?? 0).item<float>() * n;
                correct += Losses.Accuracy(logits, y) * n;
                count += n;
            }
        }
        finally
        {
            if (training) network.train();
        }
        return count == 0 ? (double.NaN, double.NaN) : (loss / count, correct / count);
    }

    private static TrainingSummary Summary(RunState state, TrainingStatus status, string? message, SpikingNetwork net, ITrainingData data, string? dir)
    {
        double test = state.History.Count > 0 ? state.History[^1].TestAccuracy : double.NaN;
        var summary = new TrainingSummary(status, message, test, state.BestValidationAccuracy, state.IterationsToTarget,
                                          state.History.Count(h => h.Epoch >= 0), state.WallSeconds, [.. state.History]);
        if (dir is not null) TrainingReport.Write(dir, summary, data.Name, data.Splits);
        return summary;
    }

    /// <summary>Everything a checkpoint needs besides weights and optimizer tensors.</summary>
    internal sealed record RunState
    {
        public required TrainingOptions Options { get; init; }
        public RunConfiguration? Run { get; init; }
        public int NextEpoch { get; set; }
        public int NextBatch { get; set; }
        public long Iteration { get; set; }
        public long? IterationsToTarget { get; set; }
        public double BestValidationAccuracy { get; set; }
        public double WallSeconds { get; set; }
        public List<double> RecentAccuracy { get; init; } = [];
        public List<EpochMetrics> History { get; init; } = [];
        public PartialEpoch Partial { get; set; } = new();
        [JsonIgnore] public double RunningAccuracy => RecentAccuracy.Count == 0 ? 0 : RecentAccuracy.Average();

        /// <summary>Requires positions and counts that a run can have written, naming the field and the valid range.</summary>
        public RunState Checked()
        {
            int total = Options.PrimingEpochs + Options.Epochs;
            Require(NextEpoch >= 0 && NextEpoch <= total, $"next_epoch = {NextEpoch} is outside [0, {total}] (priming_epochs + epochs)");
            Require(NextBatch >= 0, $"next_batch = {NextBatch} must be at least 0");
            Require(History.Count == NextEpoch, $"history holds {History.Count} epochs but next_epoch = {NextEpoch}: both count the finished epochs");
            Require(Iteration >= 0 && (IterationsToTarget is null || (IterationsToTarget >= 0 && IterationsToTarget <= Iteration)), $"iteration = {Iteration} and iterations_to_target = {IterationsToTarget} must satisfy 0 <= iterations_to_target <= iteration");
            Require(RecentAccuracy.Count <= Window && RecentAccuracy.All(a => a is >= 0 and <= 1), $"recent_accuracy must hold at most {Window} accuracies in [0, 1]");
            Require(Partial.Count >= 0 && double.IsFinite(Partial.LossSum) && double.IsFinite(Partial.Correct) && Partial.Correct >= 0 && Partial.Correct <= Partial.Count,
                    $"partial = (count {Partial.Count}, correct {Partial.Correct}) must have 0 <= correct <= count and finite sums");
            Require(double.IsFinite(WallSeconds) && WallSeconds >= 0, $"wall_seconds = {WallSeconds} must be a finite number at least 0");
            return this;
        }

        private static void Require(bool ok, string message)
        {
            if (!ok) throw new InvalidDataException(message);
        }
    }

    /// <summary>Sums over the batches of the current epoch.</summary>
    internal sealed class PartialEpoch
    {
        public double LossSum { get; set; }
        public double Correct { get; set; }
        public int Count { get; set; }
        public double[] RateSums { get; set; } = [];
    }
}
