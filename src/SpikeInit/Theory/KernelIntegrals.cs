namespace SpikeInit.Theory;

/// <summary>How the kernel integrals ε̄ = ∫ε dt and ε̂ = ∫ε² dt are computed.</summary>
public enum EpsilonMode
{
    /// <summary>From the simulator's own discrete kernel, truncated after 10·max(τ)/dt steps (stork's default).</summary>
    Numerical,
    /// <summary>Continuous kernel: ε̄ = τ_syn, ε̂ = τ_syn²/(2(τ_syn + τ_mem)).</summary>
    Analytical,
}

/// <summary>Kernel integrals of a PSP kernel, in the time unit of the neuron (seconds for CUBA, steps for discrete LIF).</summary>
/// <param name="Mean">ε̄ = ∫ε dt.</param>
/// <param name="Square">ε̂ = ∫ε² dt.</param>
public readonly record struct KernelIntegrals(double Mean, double Square);
