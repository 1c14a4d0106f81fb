using SpikeInit.Surrogates;

namespace SpikeInit.Neurons;

/// <summary>
/// LIF neuron model (<see cref="Lif.Step"/>). Defaults follow Micheli et al.: β = 0.5, θ = 1, soft reset in the order
/// of Eq. 13, <c>u &gt; θ</c>, reset kept in the graph, arctan surrogate with α = 2.
/// </summary>
public sealed record LifNeuron : LifKernelNeuron<LifParameters>
{
    /// <summary>Creates the model.</summary>
    public LifNeuron(LifParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new LifParameters(), surrogate ?? new ArcTan()) { }

    /// <inheritdoc />
    public override string Description =>
        $"LIF(beta={Validate.Format(Parameters.Beta)}, theta={Validate.Format(Parameters.Theta)}, reset={Parameters.Reset}{(Parameters.Learn ? ", learned per neuron" : "")}, {Surrogate.Name})";

    /// <inheritdoc />
    public override Neuron WithLearnedLeakAndThreshold() => this with { Parameters = Parameters with { Learn = true } };

    /// <inheritdoc />
    public override LifParameters Kernel => Parameters;
}
