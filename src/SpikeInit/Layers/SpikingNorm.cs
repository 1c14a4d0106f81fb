using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// Batch normalization for a spiking block (docs/THEORY.md, "Normalization layers"): tdBN, BNTT and TEBN act on the
/// connection's current (the pre-activation) before the neurons; MPBN on the membrane after the update, before the spike
/// function. Channels are dimension 1 of a per-step tensor <c>[B, C, ...]</c> (dimension 2 of a sequence
/// <c>[T, B, C, ...]</c>). In training mode (<c>training</c>) the statistics are the batch's (biased variance) and the
/// running statistics move by <c>momentum</c> towards them (unbiased variance, as PyTorch's BatchNorm); in eval mode the
/// running statistics are used, and <see cref="Affine"/> gives the per-channel map that folds into the weights
/// (tdBN, BNTT, TEBN) or the threshold (MPBN). Parameters: <c>gamma</c> (<c>[C]</c>, BNTT <c>[steps, C]</c>),
/// <c>beta</c> (<c>[C]</c>; none for BNTT), <c>p</c> (TEBN, <c>[steps]</c>); buffers <c>running_mean</c>,
/// <c>running_var</c> (<c>[C]</c>, BNTT <c>[steps, C]</c>).
/// </summary>
public sealed class SpikingNorm : nn.Module
{
    private readonly Parameter gamma;
    private readonly Parameter? beta, p;

    /// <summary>Creates the layer: γ = 1, β = 0, p_t = 1, running mean 0 and variance 1.</summary>
    /// <param name="kind">The variant.</param>
    /// <param name="channels">Channels (units of a dense layer, feature maps of a conv layer).</param>
    /// <param name="steps">Time steps the per-step parameters cover (BNTT, TEBN; ≥ 1); ignored by tdBN and MPBN.</param>
    /// <param name="threshold">The neurons' threshold θ (tdBN's V_th).</param>
    /// <param name="alpha">tdBN's α (&gt; 0).</param>
    /// <param name="epsilon">ε &gt; 0 of √(σ² + ε).</param>
    /// <param name="momentum">Running-statistics momentum in [0, 1].</param>
    /// <param name="dtype">Parameter dtype.</param>
    public SpikingNorm(NormKind kind, long channels, int steps, double threshold, double alpha, double epsilon, double momentum, ScalarType dtype)
        : base("norm")
    {
        Kind = Validate.Defined(kind, "norm");
        Channels = channels;
        PerStep = kind is NormKind.Bntt or NormKind.Tebn;
        Steps = PerStep ? Validate.AtLeast(steps, "norm steps", 1) : 0;
        Threshold = Validate.Positive(threshold, "theta");
        Alpha = Validate.Positive(alpha, "norm alpha");
        Epsilon = Validate.Positive(epsilon, "norm epsilon");
        Momentum = Validate.InRange(momentum, "norm momentum", 0, 1);
        long[] stats = kind == NormKind.Bntt ? [Steps, channels] : [channels];
        gamma = new Parameter(ones(stats, dtype));
        register_parameter("gamma", gamma);
        if (kind != NormKind.Bntt)
        {
            beta = new Parameter(zeros(channels, dtype));
            register_parameter("beta", beta);
        }
        if (kind == NormKind.Tebn)
        {
            p = new Parameter(ones(Steps, dtype));
            register_parameter("p", p);
        }
        register_buffer("running_mean", zeros(stats, dtype));      // read back by name: Module.to() replaces buffers
        register_buffer("running_var", ones(stats, dtype));
    }

    /// <summary>The variant.</summary>
    public NormKind Kind { get; }

    /// <summary>Channels normalized.</summary>
    public long Channels { get; }

    /// <summary>Time steps of the per-step parameters (BNTT, TEBN), else 0.</summary>
    public int Steps { get; }

    /// <summary>Whether scale and shift depend on the time step (BNTT, TEBN).</summary>
    public bool PerStep { get; }

    /// <summary>tdBN's V_th (the neurons' θ).</summary>
    public double Threshold { get; }

    /// <summary>tdBN's α.</summary>
    public double Alpha { get; }

    /// <summary>ε of √(σ² + ε).</summary>
    public double Epsilon { get; }

    /// <summary>Running-statistics momentum.</summary>
    public double Momentum { get; }

    /// <summary>Whether the layer acts on the membrane (MPBN) rather than on the current.</summary>
    public bool OnMembrane => Kind == NormKind.Mpbn;

    /// <summary>γ (<c>[C]</c>; BNTT <c>[steps, C]</c>).</summary>
    public Parameter Gamma => gamma;

    /// <summary>β (<c>[C]</c>), or null (BNTT).</summary>
    public Parameter? Beta => beta;

    /// <summary>TEBN's per-step scale p (<c>[steps]</c>), or null.</summary>
    public Parameter? P => p;

    /// <summary>The running mean (<c>[C]</c>; BNTT <c>[steps, C]</c>).</summary>
    public Tensor RunningMean => get_buffer("running_mean")!;

    /// <summary>The running variance (<c>[C]</c>; BNTT <c>[steps, C]</c>).</summary>
    public Tensor RunningVariance => get_buffer("running_var")!;

    /// <summary>Normalizes a whole sequence of currents <c>[T, B, C, ...]</c> (tdBN, BNTT, TEBN).</summary>
    public Tensor Sequence(Tensor currents)
    {
        ArgumentNullException.ThrowIfNull(currents);
        if (OnMembrane) throw new InvalidOperationException("mpbn normalizes the membrane, not the current");
        long t = currents.shape[0];
        CheckSteps(t - 1);
        int rank = (int)currents.dim();
        Tensor mean, variance;
        if (Kind == NormKind.Bntt)
        {
            long[] dims = [.. Enumerable.Range(1, rank - 1).Where(d => d != 2).Select(d => (long)d)];
            if (training)
            {
                (mean, variance) = Moments(currents, dims);
                Update(mean.reshape(t, Channels), variance.reshape(t, Channels), Count(currents, dims), s => s[..(int)t]);
            }
            else
            {
                mean = PerStepView(RunningMean[..(int)t], rank);
                variance = PerStepView(RunningVariance[..(int)t], rank);
            }
            Tensor scale = PerStepView(gamma[..(int)t], rank);
            return currents.Minus(mean).div(variance.Plus(Epsilon).sqrt()).mul(scale);
        }
        long[] all = [.. Enumerable.Range(0, rank).Where(d => d != 2).Select(d => (long)d)];
        if (training)
        {
            (mean, variance) = Moments(currents, all);
            Update(mean.flatten(), variance.flatten(), Count(currents, all), s => s);
        }
        else
        {
            mean = ChannelView(RunningMean, rank, 2);
            variance = ChannelView(RunningVariance, rank, 2);
        }
        Tensor normalized = currents.Minus(mean).div(variance.Plus(Epsilon).sqrt());
        Tensor y = normalized.mul(ChannelView(Kind == NormKind.Tdbn ? gamma.Times(Alpha * Threshold) : gamma, rank, 2)).Plus(ChannelView(beta!, rank, 2));
        return Kind == NormKind.Tebn ? y.mul(p![..(int)t].view([t, .. Enumerable.Repeat(1L, rank - 1)])) : y;
    }

    /// <summary>
    /// Normalizes one step <c>[B, C, ...]</c> at time <paramref name="time"/>: the current (tdBN, BNTT, TEBN) or the
    /// membrane (MPBN). Per-step statistics (BNTT, MPBN) are the batch's in training mode; tdBN and TEBN pool their
    /// statistics over time, so step by step they need eval mode.
    /// </summary>
    public Tensor Step(Tensor x, int time)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckSteps(time);
        int rank = (int)x.dim();
        if (!training)
        {
            (Tensor a, Tensor b) = Affine(time);
            return x.mul(ChannelView(a, rank, 1)).Plus(ChannelView(b, rank, 1));
        }
        if (Kind is NormKind.Tdbn or NormKind.Tebn)
            throw new InvalidOperationException($"{EnumNames.Of(Kind)} pools its statistics over the time steps: in training mode run whole sequences, or step in eval mode");
        long[] dims = [.. Enumerable.Range(0, rank).Where(d => d != 1).Select(d => (long)d)];
        (Tensor mean, Tensor variance) = Moments(x, dims);
        Update(mean.flatten(), variance.flatten(), Count(x, dims), Kind == NormKind.Bntt ? s => s[time] : s => s);
        Tensor normalized = x.Minus(mean).div(variance.Plus(Epsilon).sqrt());
        return Kind == NormKind.Bntt
            ? normalized.mul(ChannelView(gamma[time], rank, 1))
            : normalized.mul(ChannelView(gamma, rank, 1)).Plus(ChannelView(beta!, rank, 1));
    }

    /// <summary>
    /// The eval-mode map of step <paramref name="time"/> as <c>y = a·x + b</c> per channel (<c>[C]</c> each), from the
    /// running statistics: what folds into the preceding weights (tdBN, BNTT, TEBN) or the threshold (MPBN).
    /// </summary>
    public (Tensor Scale, Tensor Shift) Affine(int time)
    {
        CheckSteps(time);
        Tensor mean = Kind == NormKind.Bntt ? RunningMean[time] : RunningMean;
        Tensor std = (Kind == NormKind.Bntt ? RunningVariance[time] : RunningVariance).Plus(Epsilon).sqrt();
        Tensor g = Kind switch
        {
            NormKind.Bntt => gamma[time],
            NormKind.Tdbn => gamma.Times(Alpha * Threshold),
            NormKind.Tebn => gamma.mul(p![time]),
            _ => gamma,
        };
        Tensor scale = g.div(std);
        Tensor shift = Kind switch
        {
            NormKind.Bntt => scale.mul(mean).neg(),
            NormKind.Tebn => beta!.mul(p![time]).Minus(scale.mul(mean)),
            _ => beta!.Minus(scale.mul(mean)),
        };
        return (scale, shift);
    }

    /// <summary>
    /// MPBN folded into the threshold (eval mode): the neurons fire where <c>sign(γ)·(u − ϑ′) &gt; 0</c>, with
    /// <c>ϑ′ = (θ − β)·√(σ² + ε)/γ + μ</c> per channel (Guo et al. 2023). Returns ϑ′ and sign(γ).
    /// </summary>
    public (Tensor Threshold, Tensor Polarity) FoldedThreshold()
    {
        if (!OnMembrane) throw new InvalidOperationException($"{EnumNames.Of(Kind)} folds into the weights, not the threshold");
        Tensor std = RunningVariance.Plus(Epsilon).sqrt();
        Tensor folded = beta!.SubtractedFrom(Threshold).mul(std).div(gamma).Plus(RunningMean);
        return (folded, gamma.sign());
    }

    private void CheckSteps(long time)
    {
        if (PerStep && time >= Steps)
            throw new ArgumentException($"{EnumNames.Of(Kind)} was built for {Steps} time steps; step {time + 1} has no parameters (set the norm's steps to the run's T)");
    }

    private static (Tensor Mean, Tensor Variance) Moments(Tensor x, long[] dims)
    {
        Tensor mean = x.mean(dims, keepdim: true);
        Tensor variance = x.Minus(mean).square().mean(dims, keepdim: true);
        return (mean, variance);
    }

    private static long Count(Tensor x, long[] dims) => dims.Aggregate(1L, (n, d) => n * x.shape[d]);

    /// <summary>Moves the running statistics (the part <paramref name="rows"/> selects) towards the batch's.</summary>
    private void Update(Tensor mean, Tensor variance, long count, Func<Tensor, Tensor> rows)
    {
        using var noGrad = no_grad();
        Tensor unbiased = count > 1 ? variance.Times(count / (count - 1.0)) : variance;
        rows(RunningMean).TimesInPlace(1 - Momentum).PlusScaledInPlace(mean.detach(), Momentum);
        rows(RunningVariance).TimesInPlace(1 - Momentum).PlusScaledInPlace(unbiased.detach(), Momentum);
    }

    private static Tensor ChannelView(Tensor v, int rank, int channelDim) =>
        v.view([.. Enumerable.Repeat(1L, channelDim), v.shape[0], .. Enumerable.Repeat(1L, rank - channelDim - 1)]);

    private static Tensor PerStepView(Tensor v, int rank) =>
        v.view([v.shape[0], 1, v.shape[1], .. Enumerable.Repeat(1L, rank - 3)]);
}
