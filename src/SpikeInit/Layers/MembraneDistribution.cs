using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// The distribution a block's membranes start a sequence from instead of rest: <c>u₋₁ ~ N(Mean, Std²)</c> independently
/// per (sample, neuron), the state before step 0 (Kook et al. 2025, "MP-Init"). The spikes of that state are
/// H(u₋₁ − θ) (<see cref="Neurons.Neuron.StateWithMembrane(Tensor, double)"/>): no clipping below θ, since the stationary membrane it
/// samples is recorded before the reset and the reset of such a spike applies at step 0.
/// </summary>
/// <param name="Mean">μ of the membrane (finite).</param>
/// <param name="Std">σ of the membrane (≥ 0; 0: every neuron starts at μ).</param>
/// <param name="Trace">The adaptive threshold's spike trace a₋₁ ∈ [0, 1] of ALIF neurons (their stationary rate); 0 for
/// models without one.</param>
public sealed record MembraneDistribution(double Mean, double Std, double Trace = 0)
{
    /// <summary>The spike trace of an adaptive threshold at the start (0: rest, or no adaptation).</summary>
    public double Trace { get; init; } = Validate.InRange(Trace, "membrane_trace", 0, 1);

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
