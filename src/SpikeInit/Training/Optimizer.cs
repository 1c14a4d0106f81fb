using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// A first-order optimizer over a fixed list of parameters. Implemented in SpikeInit (not TorchSharp's) so that the
/// state is explicit tensors that checkpoints save and restore exactly. Steps run under no_grad and in place.
/// </summary>
public abstract class Optimizer
{
    private readonly Parameter[] parameters;

    /// <summary>Creates the optimizer.</summary>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = [.. parameters];
        LearningRate = learningRate;
        WeightDecay = Validate.NonNegativeFinite(weightDecay, "weight_decay");
    }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>Current learning rate (set by the schedule).</summary>
    public double LearningRate { get; set => field = Validate.Positive(value, "learning_rate"); }

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>Updates taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Per-parameter state tensors by slot name (e.g. <c>m</c>, <c>v</c>).</summary>
    protected abstract IReadOnlyList<string> Slots { get; }

    private readonly Dictionary<string, Tensor[]> state = [];

    /// <summary>The state tensor of a slot for parameter i (created as zeros on first use).</summary>
    protected Tensor Slot(string name, int i)
    {
        if (!state.TryGetValue(name, out Tensor[]? tensors)) state[name] = tensors = new Tensor[parameters.Length];
        return tensors[i] ??= zeros_like(parameters[i]).DetachFromDisposeScope();
    }

    /// <summary>Applies one update from the current gradients.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Steps++;
        for (int i = 0; i < parameters.Length; i++)
            if (parameters[i].grad is { } g) Update(i, parameters[i], g);
    }

    /// <summary>Updates parameter i in place given its gradient (step count already incremented).</summary>
    protected abstract void Update(int i, Tensor p, Tensor g);

    /// <summary>Sets all gradients to zero.</summary>
    public void ZeroGrad()
    {
        foreach (Parameter p in parameters) p.grad = null;
    }

    /// <summary>Writes the step count and every state tensor (float64 values with shapes) to a stream.</summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(GetType().Name);
        writer.Write(Steps);
        writer.Write(parameters.Length);
        foreach (string slot in Slots)
            for (int i = 0; i < parameters.Length; i++)
            {
                double[] values = Slot(slot, i).to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
                writer.Write(values.Length);
                foreach (double v in values) writer.Write(v);
            }
    }

    /// <summary>Restores what <see cref="Save"/> wrote; the parameter list must match.</summary>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string kind = reader.ReadString();
        if (kind != GetType().Name) throw new InvalidDataException($"optimizer state is for {kind}, not {GetType().Name}");
        Steps = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != parameters.Length) throw new InvalidDataException($"optimizer state has {count} parameters, the model {parameters.Length}");
        using var noGrad = no_grad();
        foreach (string slot in Slots)
            for (int i = 0; i < parameters.Length; i++)
            {
                int n = reader.ReadInt32();
                if (n != parameters[i].numel()) throw new InvalidDataException($"optimizer state '{slot}' of parameter {i} has {n} values, expected {parameters[i].numel()}");
                var values = new double[n];
                for (int k = 0; k < n; k++) values[k] = reader.ReadDouble();
                using Tensor t = tensor(values).reshape(parameters[i].shape).to(parameters[i].dtype);
                Slot(slot, i).copy_(t);
            }
    }

    /// <summary>Creates an optimizer of the given kind with its usual defaults.</summary>
    public static Optimizer Create(OptimizerKind kind, IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0,
                                   double momentum = 0.9) => Validate.Defined(kind, "optimizer") switch
    {
        OptimizerKind.Adam => new AdamOptimizer(parameters, learningRate, weightDecay, decoupled: false),
        OptimizerKind.AdamW => new AdamOptimizer(parameters, learningRate, weightDecay == 0 ? 1e-2 : weightDecay, decoupled: true),
        OptimizerKind.Sgd => new SgdOptimizer(parameters, learningRate, momentum, weightDecay),
        OptimizerKind.Asgd => new AsgdOptimizer(parameters, learningRate, weightDecay),
        OptimizerKind.Adagrad => new AdagradOptimizer(parameters, learningRate, weightDecay),
        _ => new AdaBeliefOptimizer(parameters, learningRate, weightDecay),
    };
}
