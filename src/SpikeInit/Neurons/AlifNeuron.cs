using SpikeInit.Surrogates;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// Adaptive LIF neuron model (<see cref="Alif.Step"/>). Defaults: α = 0.5 (as the LIF model; <c>hc-alif</c> uses 0.9),
/// ϑ = 1, and Herranz-Celotti &amp; Rouat's β_a = 1.8, τ_a = 50 steps (their rule T_in/2 for 100 input steps),
/// minus-reset, fast-sigmoid surrogate.
/// </summary>
public sealed record AlifNeuron : Neuron<AlifParameters>
{
    /// <summary>Creates the model.</summary>
    public AlifNeuron(AlifParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new AlifParameters(), surrogate ?? new NormalizedSurrogate(SurrogateShape.FastSigmoid)) { }

    /// <inheritdoc />
    public override string Description =>
        $"ALIF(beta={Validate.Format(Parameters.Beta)}, theta={Validate.Format(Parameters.Theta)}, beta_a={Validate.Format(Parameters.Adaptation)}, "
        + $"tau_a={Validate.Format(Parameters.TauAdaptation)}, reset={Parameters.Reset}{(Parameters.Learn ? ", learned per neuron" : "")}, {Surrogate.Name})";

    /// <inheritdoc />
    public override NeuronDynamics Dynamics =>
        new(1.0, Parameters.Beta, null, Parameters.Reset, SynapticCurrent: false, new ThresholdAdaptation(Parameters.Adaptation, Parameters.AdaptationDecay));

    /// <summary>The membrane's response to one input is the LIF's geometric kernel β^t (the adaptation acts on spikes only).</summary>
    public override KernelIntegrals KernelIntegrals(EpsilonMode mode = EpsilonMode.Numerical) =>
        FluctuationTheory.GeometricEpsilon(Parameters.Beta, 1.0);

    /// <inheritdoc />
    public override bool LearnsLeakAndThreshold => Parameters.Learn;

    /// <inheritdoc />
    public override Neuron WithLearnedLeakAndThreshold() => this with { Parameters = Parameters with { Learn = true } };

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) => Alif.Initial(shape, dtype, device);

    /// <summary>The state before step 0 with the given membrane and the trace at rest (a = 0).</summary>
    public override NeuronState StateWithMembrane(Tensor membrane) => StateWithMembrane(membrane, 0);

    /// <summary>
    /// The state before step 0: membrane u₋₁, trace a₋₁ = <paramref name="adaptationTrace"/> and the spikes
    /// H(u₋₁ − ϑ − β_a a₋₁) of that state (docs/THEORY.md §S10.6).
    /// </summary>
    public override NeuronState StateWithMembrane(Tensor membrane, double adaptationTrace)
    {
        ArgumentNullException.ThrowIfNull(membrane);
        Validate.InRange(adaptationTrace, "adaptation_trace", 0, 1);
        Tensor trace = zeros_like(membrane).Plus(adaptationTrace);
        Tensor threshold = (Learned is { } learned ? learned.Threshold : tensor(Parameters.Theta, membrane.dtype, membrane.device))
            .Plus(Parameters.Adaptation * adaptationTrace);
        Tensor fired = Parameters.Spike.Condition == SpikeCondition.GreaterOrEqual ? membrane.ge(threshold) : membrane.gt(threshold);
        return new AlifState(membrane, fired.to(membrane.dtype), trace);
    }

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state) =>
        Alif.Step(current, Expect<AlifState>(state), Parameters, Surrogate, Learned);
}
