using SpikeInit.Neurons;
using SpikeInit.Theory;

namespace SpikeInit.Initialization;

/// <summary>
/// Slant-asymptote initialization of Ding et al. (docs/THEORY.md §M-B3): <c>W ~ N(0, 2θ²/(nλ²))</c> and bias
/// <c>b = θ(1 − k)/(2λ)</c> (the kink of the clipped asymptote). For a plain LIF, k = β and λ = its input gain.
/// Name <c>asymptote</c>.
/// </summary>
public sealed record Asymptote : ConnectionInitializer
{
    /// <inheritdoc />
    public override string Name => "asymptote";

    /// <summary>(k, λ, θ) of the target neuron.</summary>
    public static (double K, double Lambda, double Theta) Family(Neuron neuron)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        NeuronDynamics d = neuron.Dynamics;
        if (d.SynapticCurrent)
            throw new ArgumentException($"the slant-asymptote init is defined for the k/lambda integrate-and-fire family (klambda, lif), not {neuron.Description}", nameof(neuron));
        return (d.Leak, d.InputGain, neuron.Threshold);
    }

    /// <inheritdoc />
    protected override WeightDistribution Weights(InitContext context, int fanIn, int fanOut)
    {
        var (k, lambda, theta) = Family(context.Neuron);
        return new NormalWeights(0, Math.Sqrt(DingTheory.WeightVariance(fanIn, k, lambda, theta)));
    }

    /// <inheritdoc />
    protected override double Bias(InitContext context)
    {
        var (k, lambda, theta) = Family(context.Neuron);
        return DingTheory.Bias(k, lambda, theta);
    }
}
