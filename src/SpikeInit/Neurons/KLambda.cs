using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>Parameters of Ding et al.'s first-order integrate-and-fire family. k ∈ (0, 1], λ &gt; 0, θ &gt; 0.</summary>
public sealed record KLambdaParameters
{
    /// <summary>Creates the parameters (defaults: Ding's main setting (0.8, 0.2, 1)).</summary>
    public KLambdaParameters(double k = 0.8, double lambda = 0.2, double theta = 1.0, SpikeOptions? spike = null)
    {
        K = k;
        Lambda = lambda;
        Theta = theta;
        Spike = spike ?? SpikeOptions.Default;
    }

    /// <summary>Leak k ∈ (0, 1]; k = 1 is the non-leaky IF neuron; LIF with time constant τ: k = 1 − 1/τ.</summary>
    public double K { get; init => field = Validate.InRange(value, "k", 0, 1, lowOpen: true); }

    /// <summary>Input gain λ &gt; 0 (LIF: R/τ; IF: 1/C).</summary>
    public double Lambda { get; init => field = Validate.Positive(value, "lambda"); }

    /// <summary>Threshold θ &gt; 0.</summary>
    public double Theta { get; init => field = Validate.Positive(value, "theta"); }

    /// <summary>Spike condition and gradient options.</summary>
    public SpikeOptions Spike { get; init => field = value ?? throw new ArgumentNullException(nameof(Spike)); }

    /// <summary>The equivalent LIF kernel parameters: β = k, gain λ, hard reset to zero before the decay.</summary>
    public LifParameters ToLif() => new(K, Theta, LifReset.ZeroBeforeDecay, Spike, Lambda);
}

/// <summary>
/// Ding et al.'s k/λ integrate-and-fire neuron (Eq. 2) with hard reset; the bias lives in the connection's current:
/// <code>
/// i_t = W·o^{l−1}_t + b
/// u_t = k·v_t + λ·i_t         (v_1 = 0)
/// o_t = H(u_t − θ)
/// v_{t+1} = u_t·(1 − o_t)
/// </code>
/// It is the <see cref="Lif"/> kernel with β = k, gain λ and <see cref="LifReset.ZeroBeforeDecay"/>
/// (one semantic core). Default surrogate: arctan α = 2 (Ding's "Arctan(a=2.0)" read as SpikingJelly's α).
/// </summary>
public sealed record KLambdaNeuron : Neuron<KLambdaParameters>
{
    /// <summary>Creates the model.</summary>
    public KLambdaNeuron(KLambdaParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new KLambdaParameters(), surrogate ?? new ArcTan()) { }

    /// <inheritdoc />
    public override double Threshold => Parameters.Theta;

    /// <inheritdoc />
    public override string Description =>
        $"k/lambda IF(k={Validate.Format(Parameters.K)}, lambda={Validate.Format(Parameters.Lambda)}, theta={Validate.Format(Parameters.Theta)}, {Surrogate.Name})";

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) => Lif.Initial(shape, dtype, device);

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state) =>
        Lif.Step(current, Expect<LifState>(state), Parameters.ToLif(), Surrogate);

    /// <inheritdoc />
    public override (Tensor Spikes, Tensor? Membrane) Sequence(Tensor currents, bool membrane, Func<Tensor, Tensor>? recurrence = null) =>
        FastPath && recurrence is null && LifSequence.Supports(currents, Parameters.ToLif())
            ? LifSequence.Run(currents, Parameters.ToLif(), Surrogate, membrane)
            : Steps(this, currents, membrane, recurrence);
}
