using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>Optimizer kinds of <c>spikeinit train</c> (Ding et al. Table A5 plus AdaBelief for Herranz-Celotti).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma &amp; Ba), L2 weight decay added to the gradient.</summary>
    Adam,
    /// <summary>AdamW: Adam with decoupled weight decay.</summary>
    AdamW,
    /// <summary>SGD with (heavy-ball) momentum.</summary>
    Sgd,
    /// <summary>Averaged SGD (PyTorch's ASGD).</summary>
    Asgd,
    /// <summary>Adagrad.</summary>
    Adagrad,
    /// <summary>AdaBelief (Zhuang et al. 2020) with decoupled weight decay.</summary>
    AdaBelief,
}

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
                double[] values = Slot(slot, i).to(ScalarType.Float64).contiguous().data<double>().ToArray();
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

/// <summary>Adam / AdamW: <c>m = β₁m + (1−β₁)g</c>, <c>v = β₂v + (1−β₂)g²</c>, <c>p −= lr·m̂/(√v̂ + ε)</c>.</summary>
public sealed class AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, bool decoupled = false,
                                  double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["m", "v"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        double c1 = 1 - Math.Pow(beta1, Steps), c2 = 1 - Math.Pow(beta2, Steps);
        if (HostAdam.Supports(p, g))
        {
            HostAdam.Step(p, g, Slot("m", i), Slot("v", i), new HostAdam.Settings(LearningRate, WeightDecay, decoupled, beta1, beta2, epsilon, c1, c2));
            return;
        }
        if (WeightDecay > 0)
        {
            if (decoupled) p.TimesInPlace(1 - LearningRate * WeightDecay);
            else g = g.Plus(p.Times(WeightDecay));
        }
        Tensor m = Slot("m", i).TimesInPlace(beta1).PlusScaledInPlace(g, 1 - beta1);
        Tensor v = Slot("v", i).TimesInPlace(beta2).PlusProductInPlace(g, g, 1 - beta2);
        p.MinusInPlace((m.Over(c1) / v.Over(c2).sqrt().Plus(epsilon)).Times(LearningRate));
    }
}

/// <summary>
/// <see cref="AdamOptimizer"/>'s update as one pass over parameter, gradient and both moments (float32 CPU tensors):
/// the same formulas, in the same order, as the tensor path, which runs eight passes.
/// </summary>
internal static class HostAdam
{
    /// <summary>Hyper-parameters and bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ of one step.</summary>
    internal readonly record struct Settings(double LearningRate, double WeightDecay, bool Decoupled, double Beta1, double Beta2,
                                             double Epsilon, double C1, double C2);

    /// <summary>Whether parameter and gradient suit the host kernel (contiguous float32 on the CPU).</summary>
    public static bool Supports(Tensor p, Tensor g) =>
        p.dtype == ScalarType.Float32 && g.dtype == ScalarType.Float32 && p.device_type == TorchSharp.DeviceType.CPU
        && g.device_type == TorchSharp.DeviceType.CPU && p.is_contiguous() && g.is_contiguous() && p.numel() <= int.MaxValue;

    /// <summary>Updates <paramref name="p"/>, <paramref name="m"/> and <paramref name="v"/> in place.</summary>
    public static void Step(Tensor p, Tensor g, Tensor m, Tensor v, Settings s)
    {
        Runtime.FloatView pv = new(p), gv = new(g), mv = new(m), vv = new(v);
        Runtime.HostKernel.ForChunks(pv.Length, 1, (start, end) =>
            Update(pv.Slice(start, end - start), gv.Slice(start, end - start), mv.Slice(start, end - start), vv.Slice(start, end - start), s));
        GC.KeepAlive(g);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Update(Span<float> pp, Span<float> gg, Span<float> mm, Span<float> ww, Settings s)
    {
        float b1 = (float)s.Beta1, b2 = (float)s.Beta2, a1 = (float)(1 - s.Beta1), a2 = (float)(1 - s.Beta2);
        float c1 = (float)s.C1, c2 = (float)s.C2, eps = (float)s.Epsilon, lr = (float)s.LearningRate;
        float decay = (float)s.WeightDecay, shrink = (float)(1 - s.LearningRate * s.WeightDecay);
        bool coupled = s.WeightDecay > 0 && !s.Decoupled, decoupled = s.WeightDecay > 0 && s.Decoupled;
        int w = System.Numerics.Vector<float>.Count, j = 0;
        for (; j <= pp.Length - w; j += w)         // the scalar loop below, eight (or sixteen) lanes at a time
        {
            var p = new System.Numerics.Vector<float>(pp[j..]);
            var g = new System.Numerics.Vector<float>(gg[j..]);
            if (decoupled) p *= shrink;
            if (coupled) g += p * decay;
            var m = new System.Numerics.Vector<float>(mm[j..]) * b1 + g * a1;
            var v = new System.Numerics.Vector<float>(ww[j..]) * b2 + g * g * a2;
            m.CopyTo(mm[j..]);
            v.CopyTo(ww[j..]);
            (p - m / c1 / (System.Numerics.Vector.SquareRoot(v / c2) + new System.Numerics.Vector<float>(eps)) * lr).CopyTo(pp[j..]);
        }
        for (; j < pp.Length; j++)
        {
            if (decoupled) pp[j] *= shrink;
            float gj = coupled ? gg[j] + pp[j] * decay : gg[j];
            float mj = mm[j] * b1 + gj * a1, vj = ww[j] * b2 + gj * gj * a2;
            mm[j] = mj;
            ww[j] = vj;
            pp[j] -= mj / c1 / (MathF.Sqrt(vj / c2) + eps) * lr;
        }
    }
}

/// <summary>
/// AdaBelief (Zhuang et al. 2020; adabelief-pytorch 0.2 defaults: ε = 1e-16, decoupled weight decay, no rectification):
/// <c>m = β₁m + (1−β₁)g</c>, <c>s = β₂s + (1−β₂)(g − m)² + ε</c>, <c>p −= lr·(m/(1−β₁ᵗ))/(√(s/(1−β₂ᵗ)) + ε)</c>.
/// </summary>
public sealed class AdaBeliefOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0,
                                       double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-16)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["m", "s"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay > 0) p.TimesInPlace(1 - LearningRate * WeightDecay);
        Tensor m = Slot("m", i).TimesInPlace(beta1).PlusScaledInPlace(g, 1 - beta1);
        Tensor d = g.Minus(m);
        Tensor s = Slot("s", i).TimesInPlace(beta2).PlusProductInPlace(d, d, 1 - beta2).PlusInPlace(epsilon);
        double c1 = 1 - Math.Pow(beta1, Steps), c2 = 1 - Math.Pow(beta2, Steps);
        p.MinusInPlace((m.Over(c1) / s.Over(c2).sqrt().Plus(epsilon)).Times(LearningRate));
    }
}

/// <summary>SGD with momentum: <c>b = μb + g</c> (b = g at the first step), <c>p −= lr·b</c>; L2 weight decay.</summary>
public sealed class SgdOptimizer(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0.9, double weightDecay = 0)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["b"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay > 0) g = g.Plus(p.Times(WeightDecay));
        if (momentum > 0)
        {
            Tensor b = Slot("b", i);
            if (Steps == 1) b.copy_(g);
            else b.TimesInPlace(momentum).PlusInPlace(g);
            g = b;
        }
        p.MinusInPlace(g.Times(LearningRate));
    }
}

/// <summary>Adagrad: <c>G += g²</c>, <c>p −= lr·g/(√G + ε)</c>, ε = 1e-10.</summary>
public sealed class AdagradOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0, double epsilon = 1e-10)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["sum"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay > 0) g = g.Plus(p.Times(WeightDecay));
        Tensor sum = Slot("sum", i).PlusProductInPlace(g, g, 1);
        p.MinusInPlace((g / sum.sqrt().Plus(epsilon)).Times(LearningRate));
    }
}

/// <summary>
/// Averaged SGD (PyTorch defaults λ = 1e-4, α = 0.75, t₀ = 1e6): <c>p ← p(1 − λη) − ηg</c> with
/// <c>η = lr/(1 + λ·lr·t)^α</c>; the running average of the parameters is kept in the state (slot <c>ax</c>).
/// </summary>
public sealed class AsgdOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0,
                                  double lambda = 1e-4, double alpha = 0.75, double t0 = 1e6)
    : Optimizer(parameters, learningRate, weightDecay)
{
    /// <inheritdoc />
    protected override IReadOnlyList<string> Slots => ["ax"];

    /// <inheritdoc />
    protected override void Update(int i, Tensor p, Tensor g)
    {
        if (WeightDecay > 0) g = g.Plus(p.Times(WeightDecay));
        double eta = LearningRate / Math.Pow(1 + lambda * LearningRate * (Steps - 1), alpha);
        double mu = 1 / Math.Max(1, Steps - 1 - t0);
        p.TimesInPlace(1 - lambda * eta).MinusInPlace(g.Times(eta));
        Tensor ax = Slot("ax", i);
        if (mu != 1) ax.PlusInPlace(p.Minus(ax).Times(mu));
        else ax.copy_(p);
    }
}
