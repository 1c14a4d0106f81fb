using SpikeInit.Surrogates;
using SpikeInit.Theory;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

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
    public override SpikeOptions Spike => Parameters.Spike;

    /// <inheritdoc />
    public override NeuronDynamics Dynamics => new(Parameters.Lambda, Parameters.K, null, LifReset.ZeroBeforeDecay, SynapticCurrent: false);

    /// <inheritdoc />
    public override Neuron WithSpike(SpikeOptions spike) => this with { Parameters = Parameters with { Spike = spike } };

    /// <summary>The geometric kernel λ·k^t in closed form (exact in both modes), in steps.</summary>
    public override KernelIntegrals KernelIntegrals(EpsilonMode mode = EpsilonMode.Numerical) =>
        FluctuationTheory.GeometricEpsilon(Parameters.K, Parameters.Lambda);

    /// <summary>The mean of Ding's discrete f–i curve over a Gaussian current (<see cref="DingTheory.MeanStationaryRate"/>).</summary>
    public override double? StationaryRate(double currentMean, double currentStd) =>
        DingTheory.MeanStationaryRate(currentMean, currentStd, Parameters.K, Parameters.Lambda, Parameters.Theta);

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
