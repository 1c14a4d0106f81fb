using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// The fused multi-step form of <see cref="CubaLif.Step"/>: the recurrence over all T steps as one pass over memory forward
/// and one backward, as a single autograd function per layer (as <see cref="LifSequence"/> is for the LIF kernel). Same
/// semantics as stepping the kernel from its initial state (the host loop is <see cref="CubaHostKernel"/>'s) (parity-tested: forward bit for bit, gradients to float32
/// rounding), for float32 CPU currents without <see cref="SpikeOptions.SmoothForward"/>.
/// <para>
/// Forward, per neuron, with X_t = x_{t−1} (X_0 = 0), the float32 operations of the step kernel in its order:
/// <code>
/// S_t = H(U_t − θ)   I_{t+1} = λ_s·I_t + X_t   U_{t+1} = (λ_m·U_t + (1 − λ_m)·I_t)·(1 − S_t)
/// </code>
/// and writes S_t and the recorded membrane U_{t+1}; the current I_t is kept only when the reset is in the graph.
/// Backward runs t = T−1 … 0 with A = ∂L/∂U_{t+1} (total) and C = ∂L/∂I_{t+1}:
/// <code>
/// ∂L/∂S_t = (external) − A·(λ_m·U_t + (1 − λ_m)·I_t)          (the reset path; dropped when the reset is detached)
/// ∂L/∂U_t = A·(1 − S_t)·λ_m + ∂L/∂S_t·h'(U_t − θ)  (+ the external ∂L/∂U_t of the recorded membrane of step t − 1)
/// ∂L/∂I_t = C·λ_s + A·(1 − S_t)·(1 − λ_m)
/// ∂L/∂x_{t−2} = ∂L/∂I_t                                         (x of the last two steps reaches no output: 0)
/// </code>
/// </para>
/// </summary>
public static class CubaLifSequence
{
    /// <summary>Whether the fused kernel applies to these currents and parameters.</summary>
    public static bool Supports(Tensor currents, CubaLifParameters p)
    {
        ArgumentNullException.ThrowIfNull(currents);
        ArgumentNullException.ThrowIfNull(p);
        return !p.Spike.SmoothForward && currents.dtype == ScalarType.Float32 && currents.device_type == TorchSharp.DeviceType.CPU
               && currents.dim() >= 2 && currents.numel() <= int.MaxValue && currents.shape[0] > 0;
    }

    /// <summary>
    /// Runs the kernel over currents <c>[T, ...]</c> (the inputs W·S_pre of each step) from <see cref="CubaLif.Initial"/>.
    /// Returns spikes and, when <paramref name="membrane"/> is set, the recorded membranes. Differentiable in the currents.
    /// </summary>
    /// <param name="currents">The currents.</param>
    /// <param name="p">The parameters.</param>
    /// <param name="surrogate">The surrogate of backward.</param>
    /// <param name="membrane">Whether to return the recorded membranes.</param>
    /// <param name="timeChunk">Time checkpointing for backward (0 off, <see cref="SequenceCheckpoint.Sqrt"/>, or steps).</param>
    public static (Tensor Spikes, Tensor? Membrane) Run(Tensor currents, CubaLifParameters p, Surrogate surrogate, bool membrane, int timeChunk = 0)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        if (!Supports(currents, p)) throw new ArgumentException("the fused CUBA-LIF kernel needs float32 CPU currents [T, ...] and a Heaviside forward", nameof(currents));
        return CubaHostKernel.Run(currents, new CubaHostKernel.Constants(p.MembraneDecay, p.SynapseDecay, null, p.Theta, p.InitialMembrane, p.Reset, p.Spike),
                                  surrogate, membrane, timeChunk);
    }
}
