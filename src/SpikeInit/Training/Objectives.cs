using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// Cross-entropy on the network's readout (which the architecture chooses: spike counts for Micheli and Ding, the
/// max-over-time membrane for Rossbroich, the mean membrane for Herranz-Celotti), with optional label smoothing ε:
/// <c>−(1 − ε)·log p_y − ε·mean_c log p_c</c>, averaged over the batch.
/// </summary>
public static class Losses
{
    /// <summary>The loss for logits <c>[B, C]</c> and labels <c>[B]</c>.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        Validate.InRange(labelSmoothing, "label_smoothing", 0, 1, highOpen: true);
        Tensor logp = logits.log_softmax(1);
        Tensor picked = logp.gather(1, labels.view(-1, 1)).squeeze(1);
        Tensor loss = picked.Times(-(1 - labelSmoothing));
        if (labelSmoothing > 0) loss = loss.Minus(logp.mean([1]).Times(labelSmoothing));
        return loss.mean();
    }

    /// <summary>Fraction of correct argmax predictions.</summary>
    public static double Accuracy(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        return logits.argmax(1).eq(labels).to(ScalarType.Float64).mean().item<double>();
    }
}

/// <summary>
/// An activity regularizer on the spikes of the hidden layers (each <c>[T, B, ...]</c>), with explicit units: thresholds
/// are spike counts per sample over the whole trial (stork), SELT targets a firing probability per step.
/// </summary>
[System.Text.Json.Serialization.JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(UpperBoundRate), "upper-bound")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(LowerBoundRate), "lower-bound")]
[System.Text.Json.Serialization.JsonDerivedType(typeof(Selt), "selt")]
public abstract record Regularizer
{
    /// <summary>The penalty for one batch at training epoch <paramref name="epoch"/> of <paramref name="epochs"/>.</summary>
    public abstract Tensor Loss(IReadOnlyList<Tensor> hiddenSpikes, int epoch, int epochs);

    /// <summary>Spike counts per sample and neuron <c>[B, n]</c>.</summary>
    protected static Tensor Counts(Tensor spikes) => spikes.sum(dim: 0).flatten(1);

    /// <summary>The sum of a per-layer penalty over the layers (a scalar zero when there are none).</summary>
    protected static Tensor SumOverLayers(IReadOnlyList<Tensor> hiddenSpikes, Func<Tensor, Tensor> penalty)
    {
        ArgumentNullException.ThrowIfNull(hiddenSpikes);
        return hiddenSpikes.Count == 0 ? tensor(0f) : hiddenSpikes.Select(penalty).Aggregate((a, b) => a.Plus(b));
    }
}

/// <summary>
/// stork's <c>UpperBoundL2</c> on the population rate: <c>s·mean_b relu(mean_n cnt − θ)²</c> per layer, summed over layers
/// (θ in spikes per sample; Randman: s = 0.1, θ = 4 per 200 ms; SHD: θ = 7 per 0.7 s).
/// </summary>
public sealed record UpperBoundRate(double Strength, double Threshold) : Regularizer
{
    /// <inheritdoc />
    public override Tensor Loss(IReadOnlyList<Tensor> hiddenSpikes, int epoch, int epochs) =>
        SumOverLayers(hiddenSpikes, s => Counts(s).mean([1]).Minus(Threshold).relu().square().mean().Times(Strength));
}

/// <summary>
/// stork's per-neuron <c>LowerBoundL2</c> ("homeostatic"): <c>s·mean_{b,n} relu(θ − cnt)²</c> per layer, summed
/// (s = 100, θ = 1e-3 spikes: it only acts on silent neurons). Used during training and in homeostatic priming.
/// </summary>
public sealed record LowerBoundRate(double Strength, double Threshold) : Regularizer
{
    /// <inheritdoc />
    public override Tensor Loss(IReadOnlyList<Tensor> hiddenSpikes, int epoch, int epochs) =>
        SumOverLayers(hiddenSpikes, s => Counts(s).SubtractedFrom(Threshold).relu().square().mean().Times(Strength));
}

/// <summary>
/// Herranz-Celotti &amp; Rouat's sparsity-encouraging loss term: <c>λ·s(e)·Σ_l (f̄_l − f*)²</c>, f̄ the mean firing
/// probability per step of layer l, switched on linearly: s = 0 before E/5, (e − E/5)/(2E/5) up to 3E/5, then 1.
/// </summary>
public sealed record Selt(double Lambda, double Target = 0.01) : Regularizer
{
    /// <summary>The switch s(e) for epoch e of E.</summary>
    public static double Switch(int epoch, int epochs)
    {
        double start = 0.2 * epochs, end = 0.6 * epochs;
        if (epoch < start) return 0;
        if (epoch > end) return 1;
        return (epoch - start) / (end - start);
    }

    /// <inheritdoc />
    public override Tensor Loss(IReadOnlyList<Tensor> hiddenSpikes, int epoch, int epochs)
    {
        double s = Switch(epoch, epochs);
        return s == 0 ? tensor(0f) : SumOverLayers(hiddenSpikes, spikes => spikes.mean().Minus(Target).square()).Times(Lambda * s);
    }
}

/// <summary>Learning-rate schedules, computed per epoch in closed form (so a resumed run needs no scheduler state).</summary>
public enum ScheduleKind
{
    /// <summary>Constant.</summary>
    Constant,
    /// <summary>Cosine annealing over the run: <c>lr·(1 + cos(π e/E))/2</c>.</summary>
    Cosine,
    /// <summary>Multiply by γ at each milestone epoch.</summary>
    MultiStep,
}

/// <summary>A learning-rate schedule.</summary>
/// <param name="Kind">Kind.</param>
/// <param name="Milestones">Epochs at which multi-step decays.</param>
/// <param name="Gamma">Multi-step factor.</param>
public sealed record Schedule(ScheduleKind Kind = ScheduleKind.Constant, IReadOnlyList<int>? Milestones = null, double Gamma = 0.1)
{
    /// <summary>The learning rate of epoch <paramref name="epoch"/> (0-based) of <paramref name="epochs"/>.</summary>
    public double Rate(double baseRate, int epoch, int epochs) => Kind switch
    {
        ScheduleKind.Cosine => baseRate * (1 + Math.Cos(Math.PI * epoch / Math.Max(epochs, 1))) / 2,
        ScheduleKind.MultiStep => baseRate * Math.Pow(Gamma, (Milestones ?? []).Count(m => epoch >= m)),
        _ => baseRate,
    };
}
