using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// stork's current-based LIF neuron model (<see cref="CubaLif.Step"/>). Default surrogate: SuperSpike β = 20
/// (stork's form, no extra factor β).
/// </summary>
public sealed record CubaLifNeuron : Neuron<CubaLifParameters>
{
    /// <summary>Creates the model.</summary>
    public CubaLifNeuron(CubaLifParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new CubaLifParameters(), surrogate ?? new SuperSpike()) { }

    /// <inheritdoc />
    public override double Threshold => Parameters.Theta;

    /// <inheritdoc />
    public override string Description =>
        $"CUBA-LIF(dt={Validate.Format(Parameters.Dt)}s, tau_mem={Validate.Format(Parameters.TauMem)}s, tau_syn={Validate.Format(Parameters.TauSyn)}s, theta={Validate.Format(Parameters.Theta)}{(Parameters.Reset ? "" : ", no reset")}, {Surrogate.Name})";

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) =>
        CubaLif.Initial(shape, dtype, device, Parameters.InitialMembrane);

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state) =>
        CubaLif.Step(current, Expect<CubaLifState>(state), Parameters, Surrogate);
}
