using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// The fused multi-step form of <see cref="CubaExcInhLif.Step"/>: the excitatory/inhibitory current-based recurrence over
/// all T steps as one pass forward and one backward on the host, a single autograd function per layer (the host loop is
/// <see cref="CubaHostKernel"/>'s, shared with <see cref="CubaLifSequence"/>). Same semantics as stepping the kernel from
/// the zero state (parity-tested: forward bit for bit, gradients to float32 rounding), for float32 CPU currents without
/// <see cref="SpikeOptions.SmoothForward"/>.
/// <para>
/// Currents are <c>[T, B, 2N, …]</c>, the first N channels of dimension 2 excitatory (X_e), the last N inhibitory (X_i).
/// Forward, per neuron, with X_t the current of step t − 1 (X_0 = 0), in the step kernel's float32 operations:
/// <code>
/// S_t = H(U_t − θ)   Ie_{t+1} = λ_e·Ie_t + Xe_t   Ii_{t+1} = λ_i·Ii_t + Xi_t
/// U_{t+1} = (λ_m·U_t + (1 − λ_m)·(Ie_t − Ii_t))·(1 − S_t)
/// </code>
/// Backward as <see cref="CubaLifSequence"/>'s with the drive Ie − Ii: ∂L/∂Ie_t = C_e·λ_e + A·(1 − S_t)·(1 − λ_m),
/// ∂L/∂Ii_t = C_i·λ_i − A·(1 − S_t)·(1 − λ_m), ∂L/∂X_{k,t−2} = ∂L/∂I_{k,t}.
/// </para>
/// </summary>
public static class CubaExcInhSequence
{
    /// <summary>Whether the fused kernel applies to these currents <c>[T, B, 2N, …]</c> and parameters.</summary>
    public static bool Supports(Tensor currents, CubaExcInhParameters p)
    {
        ArgumentNullException.ThrowIfNull(currents);
        ArgumentNullException.ThrowIfNull(p);
        return !p.Spike.SmoothForward && currents.dtype == ScalarType.Float32 && currents.device_type == TorchSharp.DeviceType.CPU
               && currents.dim() >= 3 && currents.shape[2] % 2 == 0 && currents.numel() <= int.MaxValue && currents.shape[0] > 0;
    }

    /// <summary>
    /// Runs the kernel over currents <c>[T, B, 2N, …]</c> from <see cref="CubaExcInhLif.Initial"/>. Returns spikes
    /// <c>[T, B, N, …]</c> and, when <paramref name="membrane"/> is set, the recorded membranes. Differentiable in the currents.
    /// </summary>
    /// <param name="currents">The currents of both pools.</param>
    /// <param name="p">The parameters.</param>
    /// <param name="surrogate">The surrogate of backward.</param>
    /// <param name="membrane">Whether to return the recorded membranes.</param>
    /// <param name="timeChunk">Time checkpointing for backward (0 off, <see cref="SequenceCheckpoint.Sqrt"/>, or steps).</param>
    public static (Tensor Spikes, Tensor? Membrane) Run(Tensor currents, CubaExcInhParameters p, Surrogate surrogate, bool membrane, int timeChunk = 0)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        if (!Supports(currents, p))
            throw new ArgumentException("the fused E/I CUBA-LIF kernel needs float32 CPU currents [T, B, 2N, ...] and a Heaviside forward", nameof(currents));
        double lm = Math.Exp(-p.Dt / p.TauMem), le = Math.Exp(-p.Dt / p.TauExc), li = Math.Exp(-p.Dt / p.TauInh);
        return CubaHostKernel.Run(currents, new CubaHostKernel.Constants(lm, le, li, p.Theta, 0.0, reset: true, p.Spike), surrogate, membrane, timeChunk);
    }
}
