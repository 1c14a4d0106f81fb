using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SpikeInit.Networks;
using TorchSharp.Modules;
using SpikeInit.IO;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>Everything that defines a training run besides the network and the data.</summary>
public sealed record TrainingOptions
{
    /// <summary>Supervised epochs.</summary>
    public int Epochs { get; init => field = Validate.AtLeast(value, "epochs", 1); } = 10;
    /// <summary>Base learning rate.</summary>
    public double LearningRate { get; init => field = Validate.Positive(value, "learning_rate"); } = 1e-3;
    /// <summary>Optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>Weight decay (L2 for Adam/SGD/Adagrad/ASGD, decoupled for AdamW/AdaBelief).</summary>
    public double WeightDecay { get; init => field = Validate.NonNegativeFinite(value, "weight_decay"); }
    /// <summary>Momentum (SGD).</summary>
    public double Momentum { get; init => field = Validate.InRange(value, "momentum", 0, 1, highOpen: true); } = 0.9;
    /// <summary>Learning-rate schedule.</summary>
    public Schedule Schedule { get; init; } = new();
    /// <summary>Gradient-norm clipping (0: off).</summary>
    public double ClipNorm { get; init => field = Validate.NonNegativeFinite(value, "clip_norm"); }
    /// <summary>Label smoothing ε.</summary>
    public double LabelSmoothing { get; init => field = Validate.InRange(value, "label_smoothing", 0, 1, highOpen: true); }
    /// <summary>Activity regularizers on the hidden layers.</summary>
    public IReadOnlyList<Regularizer> Regularizers { get; init; } = [];
    /// <summary>Homeostatic priming epochs before supervised training (only <see cref="Priming"/> is optimized).</summary>
    public int PrimingEpochs { get; init => field = Validate.AtLeast(value, "priming_epochs", 0); }
    /// <summary>The homeostatic term used for priming (stork: s = 100, θ = 1e-3 spikes).</summary>
    public LowerBoundRate Priming { get; init; } = new(100, 1e-3);
    /// <summary>Training accuracy whose first crossing (running mean of 20 batches) is recorded as iterations_to_target.</summary>
    public double TargetAccuracy { get; init => field = Validate.InRange(value, "target_accuracy", 0, 1, lowOpen: true); } = 0.6;
    /// <summary>Batches per epoch cap (0: all), for quick runs.</summary>
    public int MaxBatches { get; init => field = Validate.AtLeast(value, "max_batches", 0); }
}

/// <summary>Metrics of one epoch (priming epochs have negative numbers: −P … −1).</summary>
public sealed record EpochMetrics(int Epoch, long Iteration, double LearningRate, double TrainLoss, double TrainAccuracy,
                                  double ValidationLoss, double ValidationAccuracy, double TestLoss, double TestAccuracy,
                                  IReadOnlyList<double> LayerRates, double WallSeconds);

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

/// <summary>The outcome of a run.</summary>
public sealed record TrainingSummary(TrainingStatus Status, string? Message, double TestAccuracy, double BestValidationAccuracy,
                                     long? IterationsToTarget, int Epochs, double WallSeconds, IReadOnlyList<EpochMetrics> History);

/// <summary>Progress of a run: epoch, batch, iteration, running training accuracy and loss.</summary>
public readonly record struct TrainingProgress(int Epoch, int Batch, int Batches, long Iteration, double RunningAccuracy, double Loss);

/// <summary>
/// BPTT training with surrogate gradients (the network knows nothing of this): one dispose scope per batch, cross-entropy
/// on the readout plus regularizers, gradient clipping, NaN/Inf detection, per-epoch metrics, and a checkpoint after every
/// epoch (and on cancellation) written atomically with the optimizer state and the exact position in the data, so that
/// <see cref="Resume"/> reaches the same numbers as an uninterrupted run. Files in the run folder: <c>checkpoint/</c>,
/// <c>metrics.csv</c>, <c>summary.json</c>, <c>learning_curves.png/.svg</c>, <c>model/</c>.
/// </summary>
public sealed class Trainer
{
    private const int Window = 20;

    /// <summary>Trains a fresh run.</summary>
    public static TrainingSummary Train(SpikingNetwork network, ITrainingData data, TrainingOptions options, string? runDirectory,
                                        IProgress<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        var state = new RunState { Options = options };
        return Run(network, data, state, runDirectory, progress, cancellation);
    }

    /// <summary>Continues the run in <paramref name="runDirectory"/> from its last checkpoint with the same data.</summary>
    public static TrainingSummary Resume(string runDirectory, ITrainingData data, IProgress<TrainingProgress>? progress = null,
                                         CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        var (network, state, optimizerState) = Checkpoint.Load(Path.Combine(runDirectory, "checkpoint"));
        return Run(network, data, state, runDirectory, progress, cancellation, optimizerState);
    }

    private static TrainingSummary Run(SpikingNetwork net, ITrainingData data, RunState state, string? dir,
                                       IProgress<TrainingProgress>? progress, CancellationToken cancellation, byte[]? optimizerState = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        TrainingOptions o = state.Options;
        if (!net.Spec.InputShape.SequenceEqual(data.InputShape))
            throw new ArgumentException($"the network expects inputs of shape [{string.Join(", ", net.Spec.InputShape)}] but {data.Name} gives [{string.Join(", ", data.InputShape)}]");
        if (net.OutputShape.Length != 1 || net.OutputShape[0] < data.Classes)
            throw new ArgumentException($"the network's output [{string.Join(", ", net.OutputShape)}] cannot classify {data.Classes} classes");
        Optimizer optimizer = Optimizer.Create(o.Optimizer, net.parameters(), o.LearningRate, o.WeightDecay, o.Momentum);
        if (optimizerState is not null)
        {
            using var reader = new BinaryReader(new MemoryStream(optimizerState));
            optimizer.Load(reader);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        double wallOffset = state.WallSeconds;
        int total = o.PrimingEpochs + o.Epochs, batchesPerEpoch = BatchesPerEpoch(data, o);
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
                    TrainBatch(net, data, optimizer, state, x, y, priming, epoch);
                    state.NextBatch++;
                    progress?.Report(new TrainingProgress(state.NextEpoch - o.PrimingEpochs, state.NextBatch, batchesPerEpoch,
                                                          state.Iteration, state.RunningAccuracy, state.Partial.LossSum / Math.Max(state.Partial.Count, 1)));
                }
                state.WallSeconds = wallOffset + clock.Elapsed.TotalSeconds;
                state.History.Add(EndEpoch(net, data, state, epoch, optimizer.LearningRate, o));
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

    private static void TrainBatch(SpikingNetwork net, ITrainingData data, Optimizer optimizer, RunState state, Tensor x, Tensor y,
                                   bool priming, int epoch)
    {
        TrainingOptions o = state.Options;
        using var scope = NewDisposeScope();
        NetworkRun run = net.Run(x, data.Steps, Recording.Spikes);
        Tensor[] hidden = [.. run.Layers.Where(l => l.Index < net.Blocks.Count - 1 && l.Spikes is not null).Select(l => l.Spikes!)];
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
        state.Iteration++;
        using var noGrad = no_grad();
        double accuracy = Losses.Accuracy(logits, y);
        int n = (int)y.shape[0];
        PartialEpoch part = state.Partial;
        part.LossSum += task.item<float>() * n;
        part.Correct += accuracy * n;
        part.Count += n;
        double[] rates = [.. hidden.Select(h => h.mean().item<float>() * (double)n)];
        part.RateSums = part.RateSums.Length == 0 ? rates : [.. part.RateSums.Zip(rates, (a, b) => a + b)];
        state.RecentAccuracy.Add(accuracy);
        if (state.RecentAccuracy.Count > Window) state.RecentAccuracy.RemoveAt(0);
        if (!priming && state.IterationsToTarget is null && state.RecentAccuracy.Count == Window && state.RunningAccuracy >= o.TargetAccuracy)
            state.IterationsToTarget = state.Iteration;
    }

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
        PartialEpoch p = state.Partial;
        int count = Math.Max(p.Count, 1);
        if (!double.IsNaN(valAcc)) state.BestValidationAccuracy = Math.Max(state.BestValidationAccuracy, valAcc);
        return new EpochMetrics(epoch, state.Iteration, lr, p.LossSum / count, p.Correct / count, valLoss, valAcc, testLoss, testAcc,
                                [.. p.RateSums.Select(r => r / count)], state.WallSeconds);
    }

    /// <summary>Mean loss and accuracy over batches (NaN, NaN when there are none).</summary>
    public static (double Loss, double Accuracy) Evaluate(SpikingNetwork network, ITrainingData data, IEnumerable<(Tensor X, Tensor Y)> batches,
                                                          TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(batches);
        using var noGrad = no_grad();
        double loss = 0, correct = 0;
        int count = 0;
        foreach (var (x, y) in batches)
        {
            using var scope = NewDisposeScope();
            Tensor logits = network.Run(x, data.Steps).Output[.., ..(int)data.Classes];
            int n = (int)y.shape[0];
            loss += Losses.CrossEntropy(logits, y, options?.LabelSmoothing ?? 0).item<float>() * n;
            correct += Losses.Accuracy(logits, y) * n;
            count += n;
        }
        return count == 0 ? (double.NaN, double.NaN) : (loss / count, correct / count);
    }

    private static TrainingSummary Summary(RunState state, TrainingStatus status, string? message, SpikingNetwork net, ITrainingData data, string? dir)
    {
        double test = state.History.Count > 0 ? state.History[^1].TestAccuracy : double.NaN;
        var summary = new TrainingSummary(status, message, test, state.BestValidationAccuracy, state.IterationsToTarget,
                                          state.History.Count(h => h.Epoch >= 0), state.WallSeconds, [.. state.History]);
        if (dir is not null) TrainingReport.Write(dir, summary, data.Name);
        return summary;
    }

    /// <summary>Everything a checkpoint needs besides weights and optimizer tensors.</summary>
    internal sealed record RunState
    {
        public required TrainingOptions Options { get; init; }
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

/// <summary>The loss or a gradient became NaN or infinite.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException() { }
    /// <summary>Creates the exception with a message.</summary>
    public TrainingDivergedException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public TrainingDivergedException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Checkpoints as a folder (<c>model.json</c>, <c>weights.bin</c>, <c>optimizer.bin</c>, <c>state.json</c>), written to a
/// temporary sibling and swapped in by renames; a write killed at any point leaves a complete checkpoint (the previous
/// one, possibly under <c>.old</c>, which <see cref="Load"/> falls back to).
/// </summary>
public static class Checkpoint
{
    /// <summary>JSON settings of checkpoint state and run manifests (snake_case, enums as strings, indented).</summary>
    public static JsonSerializerOptions Json { get; } = new(ModelStore.JsonOptions) { WriteIndented = true };

    internal static void Save(string directory, SpikingNetwork net, Optimizer optimizer, Trainer.RunState state)
    {
        string temp = directory + ".tmp-" + Environment.ProcessId, old = directory + ".old";
        if (Directory.Exists(temp)) Directory.Delete(temp, true);
        ModelStore.Save(net, temp);
        using (var writer = new BinaryWriter(File.Create(Path.Combine(temp, "optimizer.bin")))) optimizer.Save(writer);
        File.WriteAllText(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, Json));
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(directory)) Directory.Move(directory, old);
        Directory.Move(temp, directory);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    internal static (SpikingNetwork Network, Trainer.RunState State, byte[] Optimizer) Load(string directory)
    {
        string path = Directory.Exists(directory) ? directory
            : Directory.Exists(directory + ".old") ? directory + ".old"
            : throw new DirectoryNotFoundException($"no checkpoint in {directory}: nothing to resume");
        try
        {
            Trainer.RunState state = JsonSerializer.Deserialize<Trainer.RunState>(File.ReadAllText(Path.Combine(path, "state.json")), Json)
                                     ?? throw new InvalidDataException("state.json is empty");
            return (ModelStore.Load(path), state, File.ReadAllBytes(Path.Combine(path, "optimizer.bin")));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable checkpoint state ({e.Message})", e);
        }
    }
}

/// <summary>Writes metrics.csv, summary.json and learning-curve plots of a run.</summary>
public static class TrainingReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>metrics.csv (one row per epoch).</summary>
    public static void WriteMetrics(string directory, IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        Directory.CreateDirectory(directory);
        int layers = history.Count == 0 ? 0 : history.Max(h => h.LayerRates.Count);
        var sb = new StringBuilder("epoch,iteration,learning_rate,train_loss,train_accuracy,val_loss,val_accuracy,test_loss,test_accuracy,wall_seconds");
        for (int l = 0; l < layers; l++) sb.Append(",rate_layer_").Append(l + 1);
        sb.Append('\n');
        foreach (EpochMetrics h in history)
        {
            sb.AppendJoin(',', [h.Epoch.ToString(Inv), h.Iteration.ToString(Inv), N(h.LearningRate), N(h.TrainLoss), N(h.TrainAccuracy),
                                N(h.ValidationLoss), N(h.ValidationAccuracy), N(h.TestLoss), N(h.TestAccuracy), N(h.WallSeconds),
                                .. h.LayerRates.Select(N)]).Append('\n');
        }
        AtomicFile.WriteText(Path.Combine(directory, "metrics.csv"), sb.ToString());
    }

    private static string N(double x) => double.IsNaN(x) ? "" : x.ToString("R", Inv);

    /// <summary>metrics.csv, summary.json and learning_curves.png/svg.</summary>
    public static void Write(string directory, TrainingSummary summary, string dataset)
    {
        ArgumentNullException.ThrowIfNull(summary);
        WriteMetrics(directory, summary.History);
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["status"] = summary.Status.ToString().ToLowerInvariant(),
            ["message"] = summary.Message,
            ["dataset"] = dataset,
            ["test_accuracy"] = double.IsFinite(summary.TestAccuracy) ? summary.TestAccuracy : null,
            ["best_val_accuracy"] = summary.BestValidationAccuracy,
            ["iterations_to_target"] = summary.IterationsToTarget,
            ["epochs"] = summary.Epochs,
            ["wall_seconds"] = Math.Round(summary.WallSeconds, 3),
        };
        AtomicFile.WriteText(Path.Combine(directory, "summary.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (summary.History.Count == 0) return;
        var plot = new ScottPlot.Plot();
        double[] epochs = [.. summary.History.Select(h => (double)h.Epoch)];
        void Line(Func<EpochMetrics, double> f, string label)
        {
            var points = summary.History.Where(h => double.IsFinite(f(h))).ToList();
            if (points.Count == 0) return;
            plot.Add.Scatter(points.Select(h => (double)h.Epoch).ToArray(), points.Select(f).ToArray()).LegendText = label;
        }
        Line(h => h.TrainAccuracy, "train accuracy");
        Line(h => h.ValidationAccuracy, "validation accuracy");
        Line(h => h.TestAccuracy, "test accuracy");
        plot.XLabel("epoch");
        plot.YLabel("accuracy");
        plot.Title($"{dataset}: learning curves");
        plot.ShowLegend();
        PlotFiles.Save(plot, Path.Combine(directory, "learning_curves"), 800, 500);
    }
}
