namespace SpikeInit.Training;

/// <summary>Everything that defines a training run besides the network and the data.</summary>
public sealed record TrainingOptions
{
    /// <summary>The most epochs (supervised or priming) a run may ask for.</summary>
    public const int MaxEpochs = 1_000_000;
    /// <summary>Supervised epochs, 1 to <see cref="MaxEpochs"/>.</summary>
    public int Epochs { get; init => field = Validate.Between(value, "epochs", 1, MaxEpochs); } = 10;
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
    public int PrimingEpochs { get; init => field = Validate.Between(value, "priming_epochs", 0, MaxEpochs); }
    /// <summary>The homeostatic term used for priming (stork: s = 100, θ = 1e-3 spikes).</summary>
    public LowerBoundRate Priming { get; init; } = new(100, 1e-3);
    /// <summary>Training accuracy whose first crossing (running mean of 20 batches) is recorded as iterations_to_target.</summary>
    public double TargetAccuracy { get; init => field = Validate.InRange(value, "target_accuracy", 0, 1, lowOpen: true); } = 0.6;
    /// <summary>Batches per epoch cap (0: all), for quick runs.</summary>
    public int MaxBatches { get; init => field = Validate.AtLeast(value, "max_batches", 0); }
    /// <summary>
    /// Time checkpointing of BPTT in the fused kernels (<see cref="Neurons.SequenceCheckpoint"/>): 0 off, −1 chunks of ⌈√T⌉
    /// steps, else chunks of this many steps (memory for the membranes ∝ T / chunk + chunk instead of T; same results).
    /// </summary>
    public int TimeChunk { get; init => field = Validate.AtLeast(value, "time_chunk", Neurons.SequenceCheckpoint.Sqrt); }
    /// <summary>
    /// Folder for TensorBoard event files (<see cref="TensorBoardLog"/>: loss, accuracy, learning rate and firing rate per
    /// hidden layer per iteration and epoch; weight and gradient histograms per epoch), or null for none.
    /// </summary>
    public string? TensorBoard { get; init => field = value is null || !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("tensorboard needs a folder"); }
}
