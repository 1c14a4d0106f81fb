using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// The distribution a block's membranes start a sequence from instead of rest: <c>u₋₁ ~ N(Mean, Std²)</c> independently
/// per (sample, neuron), the state before step 0 (Kook et al. 2025, "MP-Init"). The spikes of that state are
/// H(u₋₁ − θ) (<see cref="Neurons.Neuron.StateWithMembrane"/>): no clipping below θ, since the stationary membrane it
/// samples is recorded before the reset and the reset of such a spike applies at step 0.
/// </summary>
/// <param name="Mean">μ of the membrane (finite).</param>
/// <param name="Std">σ of the membrane (≥ 0; 0: every neuron starts at μ).</param>
public sealed record MembraneDistribution(double Mean, double Std)
{
    /// <summary>μ of the membrane.</summary>
    public double Mean { get; init; } = Validate.Finite(Mean, "membrane_mean");

    /// <summary>σ of the membrane.</summary>
    public double Std { get; init; } = Validate.NonNegativeFinite(Std, "membrane_std");

    /// <summary>
    /// Draws membranes of <paramref name="shape"/> (batch first) from <paramref name="generator"/> (a CPU generator: drawn on
    /// the host and moved to <paramref name="device"/>, so a seed gives the same start on every device).
    /// </summary>
    public Tensor Draw(long[] shape, ScalarType dtype, Device device, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(generator);
        using var noGrad = no_grad();
        return randn(shape, dtype, generator: generator).to(device).Times(Std).Plus(Mean);
    }
}
