using SpikeInit.Surrogates;
using SpikeInit.Theory;

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
public sealed record KLambdaNeuron : LifKernelNeuron<KLambdaParameters>
{
    /// <summary>Creates the model.</summary>
    public KLambdaNeuron(KLambdaParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new KLambdaParameters(), surrogate ?? new ArcTan()) { }

    /// <summary>The mean of Ding's discrete f–i curve over a Gaussian current (<see cref="DingTheory.MeanStationaryRate"/>).</summary>
    public override double? StationaryRate(double currentMean, double currentStd) =>
        DingTheory.MeanStationaryRate(currentMean, currentStd, Parameters.K, Parameters.Lambda, Parameters.Theta);

    /// <inheritdoc />
    public override string Description =>
        $"k/lambda IF(k={Validate.Format(Parameters.K)}, lambda={Validate.Format(Parameters.Lambda)}, theta={Validate.Format(Parameters.Theta)}, {Surrogate.Name})";

    /// <inheritdoc />
    public override LifParameters Kernel => Parameters.ToLif();
}
