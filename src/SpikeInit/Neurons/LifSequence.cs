using System.Numerics;
using System.Runtime.CompilerServices;
using SpikeInit.Runtime;
using SpikeInit.Surrogates;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Neurons;

/// <summary>
/// The fused multi-step form of <see cref="Lif.Step"/>: the whole recurrence over T steps as one pass over memory
/// forward and one backward, as a single autograd function per layer. Same semantics as stepping the kernel
/// (parity-tested: forward values bit for bit, gradients to float32 rounding), for float32 CPU tensors without
/// <see cref="SpikeOptions.SmoothForward"/>.
/// <para>
/// Forward writes spikes s_t and, when needed, membranes u_t (before reset); that is all BPTT keeps (4 bytes per neuron
/// and step besides the spikes, which the next connection keeps anyway; the input as well for
/// <see cref="LifReset.ZeroAfterInput"/>). Backward runs the recurrence in reverse with A_t = ∂L/∂u_t:
/// <code>
/// B_t = ∂L/∂s_t (external) + A_{t+1}·∂u_{t+1}/∂s_t      (the reset path; dropped when DetachReset)
/// A_t = ∂L/∂u_t (external) + A_{t+1}·∂u_{t+1}/∂u_t + B_t·h'(u_t − θ)
/// ∂L/∂x_t = A_t·∂u_t/∂x_t
/// </code>
/// with the partial derivatives of each <see cref="LifReset"/>: ∂u_{t+1}/∂u_t = β (β(1 − s_t) for the zero resets),
/// ∂u_{t+1}/∂s_t = −θ (next step), −βθ (before decay), −βu_t (zero before decay), −(βu_t + g·x_{t+1}) (zero after
/// input), 0 (none); ∂u_t/∂x_t = g, times (1 − s_{t−1}) for zero after input.
/// </para>
/// A constant input (a <c>[T, ...]</c> view with time stride 0, as a static input expanded over time) is read once per
/// neuron, not copied T times.
/// </summary>
public static class LifSequence
{
    /// <summary>Whether the fused kernel applies to these currents and parameters.</summary>
    public static bool Supports(Tensor currents, LifParameters p)
    {
        ArgumentNullException.ThrowIfNull(currents);
        ArgumentNullException.ThrowIfNull(p);
        return !p.Spike.SmoothForward && currents.dtype == ScalarType.Float32 && currents.device_type == TorchSharp.DeviceType.CPU
               && currents.dim() >= 2 && currents.numel() <= int.MaxValue && currents.shape[0] > 0;
    }

    /// <summary>
    /// Runs the kernel over currents <c>[T, ...]</c> from the zero state. Returns spikes and, when
    /// <paramref name="membrane"/> is set, the membranes u_t (the <see cref="LifState.U"/> of each step).
    /// Differentiable with respect to <paramref name="currents"/>.
    /// </summary>
    public static (Tensor Spikes, Tensor? Membrane) Run(Tensor currents, LifParameters p, Surrogate surrogate, bool membrane)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        if (!Supports(currents, p)) throw new ArgumentException("the fused LIF kernel needs float32 CPU currents [T, ...] and a Heaviside forward", nameof(currents));
        if (is_grad_enabled() && currents.requires_grad)
        {
            List<Tensor> outputs = FusedLifFunction.apply(currents, p, surrogate, membrane);
            return (outputs[0], membrane ? outputs[1] : null);
        }
        using (no_grad())
        {
            var (spikes, u) = Forward(currents, p, membrane);
            return (spikes, u);
        }
    }

    /// <summary>Forward pass: spikes, and membranes when <paramref name="keepMembrane"/>.</summary>
    internal static (Tensor Spikes, Tensor? Membrane) Forward(Tensor currents, LifParameters p, bool keepMembrane)
    {
        var (x, staticInput) = HostInput(currents);
        int steps = (int)currents.shape[0], n = (int)(currents.numel() / steps);
        Tensor spikes = empty(currents.shape, ScalarType.Float32);
        Tensor? u = keepMembrane ? empty(currents.shape, ScalarType.Float32) : null;
        var c = new Coefficients(p);
        FloatView xv = new(x), sv = new(spikes);
        FloatView? uv = u is null ? null : new FloatView(u);
        HostKernel.ForChunks(n, steps, (start, end) => ForwardChunk(xv, staticInput, sv, uv, steps, n, start, end, c));
        GC.KeepAlive(x);
        return (spikes, u);
    }

    /// <summary>Backward pass: ∂L/∂x <c>[T, ...]</c> from the saved membranes and the output gradients.</summary>
    internal static Tensor Backward(Tensor membrane, Tensor? currents, Tensor? gradSpikes, Tensor? gradMembrane, LifParameters p, Surrogate surrogate)
    {
        int steps = (int)membrane.shape[0], n = (int)(membrane.numel() / steps);
        Tensor gx = empty(membrane.shape, ScalarType.Float32);
        Tensor? gs = gradSpikes is null ? null : Contiguous(gradSpikes);
        Tensor? gu = gradMembrane is null ? null : Contiguous(gradMembrane);
        (Tensor? x, bool staticInput) = currents is null ? (null, false) : HostInput(currents);
        var c = new Coefficients(p);
        FloatView uv = new(membrane), gxv = new(gx);
        FloatView? gsv = gs is null ? null : new FloatView(gs), guv = gu is null ? null : new FloatView(gu), xv = x is null ? null : new FloatView(x);
        HostKernel.ForChunks(n, steps, (start, end) => BackwardChunk(uv, xv, staticInput, gsv, guv, gxv, steps, n, start, end, c, surrogate));
        GC.KeepAlive(gs);
        GC.KeepAlive(gu);
        GC.KeepAlive(x);
        return gx;
    }

    private static Tensor Contiguous(Tensor t) => t.dtype == ScalarType.Float32 ? t.contiguous() : t.to(ScalarType.Float32).contiguous();

    /// <summary>The input as host memory: a constant-over-time view is read from its first step only.</summary>
    private static (Tensor X, bool Static) HostInput(Tensor currents)
    {
        bool constant = currents.shape[0] > 1 && currents.stride(0) == 0;
        Tensor x = constant ? currents.select(0, 0).contiguous() : currents.contiguous();
        return (x, constant);
    }

    /// <summary>The kernel's constants; the charge follows <see cref="Lif.Step"/>'s float32 operations in order.</summary>
    private readonly struct Coefficients(LifParameters p)
    {
        public readonly float Beta = (float)p.Beta, Theta = (float)p.Theta, Gain = (float)p.Gain;
        public readonly bool Scaled = p.Gain != 1.0, GreaterOrEqual = p.Spike.Condition == SpikeCondition.GreaterOrEqual, Detach = p.Spike.DetachReset;
        public readonly LifReset Reset = p.Reset;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Charge(Vector<float> u, Vector<float> s, Vector<float> x)
        {
            var beta = new Vector<float>(Beta);
            return Reset switch
            {
                LifReset.SubtractNextStep => u * beta + x - s * new Vector<float>(Theta),
                LifReset.SubtractBeforeDecay => (u - s * new Vector<float>(Theta)) * beta + x,
                LifReset.ZeroBeforeDecay => u * (Vector<float>.One - s) * beta + x,
                LifReset.ZeroAfterInput => (u * beta + x) * (Vector<float>.One - s),
                _ => u * beta + x,
            };
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Fire(Vector<float> u)
        {
            var theta = new Vector<float>(Theta);
            Vector<int> fired = GreaterOrEqual ? Vector.GreaterThanOrEqual(u, theta) : Vector.GreaterThan(u, theta);
            return Vector.ConditionalSelect(fired, Vector<float>.One, Vector<float>.Zero);
        }
    }

    private static void ForwardChunk(FloatView x, bool staticInput, FloatView spikes, FloatView? membrane, int steps, int n, int start, int end, Coefficients c)
    {
        int len = end - start, w = Vector<float>.Count;
        Span<float> u = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        Span<float> s = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        Span<float> xin = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        u.Clear();
        s.Clear();
        xin.Clear();
        var gain = new Vector<float>(c.Gain);
        for (int t = 0; t < steps; t++)
        {
            x.Slice((staticInput ? 0 : t * n) + start, len).CopyTo(xin);
            for (int j = 0; j < len; j += w)       // the tail lanes compute on zeros and are not written out
            {
                var xv = new Vector<float>(xin[j..]);
                if (c.Scaled) xv *= gain;
                Vector<float> uv = c.Charge(new Vector<float>(u[j..]), new Vector<float>(s[j..]), xv);
                uv.CopyTo(u[j..]);
                c.Fire(uv).CopyTo(s[j..]);
            }
            s[..len].CopyTo(spikes.Slice(t * n + start, len));
            if (membrane is { } m) u[..len].CopyTo(m.Slice(t * n + start, len));
        }
    }

    private static void BackwardChunk(FloatView membrane, FloatView? input, bool staticInput, FloatView? gradSpikes, FloatView? gradMembrane,
                                      FloatView gradInput, int steps, int n, int start, int end, Coefficients c, Surrogate surrogate)
    {
        int len = end - start;
        Span<float> a = stackalloc float[HostKernel.Chunk];        // ∂L/∂u_{t+1}
        Span<float> centered = stackalloc float[HostKernel.Chunk];
        Span<float> slope = stackalloc float[HostKernel.Chunk];
        a.Clear();
        float beta = c.Beta, theta = c.Theta, gain = c.Gain;
        for (int t = steps - 1; t >= 0; t--)
        {
            Span<float> u = membrane.Slice(t * n + start, len);
            for (int j = 0; j < len; j++) centered[j] = u[j] - theta;
            surrogate.Derivative(centered[..len], slope[..len]);
            Span<float> gs = gradSpikes is { } g1 ? g1.Slice(t * n + start, len) : default;
            Span<float> gu = gradMembrane is { } g2 ? g2.Slice(t * n + start, len) : default;
            Span<float> uPrev = t > 0 ? membrane.Slice((t - 1) * n + start, len) : default;
            Span<float> xNext = t < steps - 1 && input is { } xi ? xi.Slice((staticInput ? 0 : (t + 1) * n) + start, len) : default;
            Span<float> gx = gradInput.Slice(t * n + start, len);
            bool last = t == steps - 1;
            for (int j = 0; j < len; j++)
            {
                float s = Fired(centered[j], c.GreaterOrEqual);
                float next = last ? 0f : a[j];
                float dU = c.Reset is LifReset.ZeroBeforeDecay or LifReset.ZeroAfterInput ? beta * (1f - s) : beta;
                float dS = c.Detach || last ? 0f : c.Reset switch
                {
                    LifReset.SubtractNextStep => -theta,
                    LifReset.SubtractBeforeDecay => -beta * theta,
                    LifReset.ZeroBeforeDecay => -beta * u[j],
                    LifReset.ZeroAfterInput => -(beta * u[j] + (c.Scaled ? gain * xNext[j] : xNext[j])),
                    _ => 0f,
                };
                float gradS = (gs.IsEmpty ? 0f : gs[j]) + next * dS;
                float gradU = (gu.IsEmpty ? 0f : gu[j]) + next * dU + gradS * slope[j];
                a[j] = gradU;
                float dx = c.Reset == LifReset.ZeroAfterInput && t > 0 ? 1f - Fired(uPrev[j] - theta, c.GreaterOrEqual) : 1f;
                gx[j] = gradU * dx * gain;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Fired(float centered, bool greaterOrEqual) => (greaterOrEqual ? centered >= 0f : centered > 0f) ? 1f : 0f;

    /// <summary>The autograd node: inputs (currents, parameters, surrogate, membrane output?), outputs [spikes(, membranes)].</summary>
    private sealed class FusedLifFunction : MultiTensorFunction<FusedLifFunction>
    {
        public override string Name => "SpikeInitFusedLif";

        public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            var p = (LifParameters)vars[1];
            var surrogate = (Surrogate)vars[2];
            bool membraneOutput = (bool)vars[3];
            var (spikes, u) = Forward(x, p, keepMembrane: true);
            ctx.save_for_backward(p.Reset == LifReset.ZeroAfterInput && !p.Spike.DetachReset ? [u!, x] : [u!]);
            ctx.save_data("p", p);
            ctx.save_data("surrogate", surrogate);
            ctx.save_data("membrane", membraneOutput);
            return membraneOutput ? [spikes, u!] : [spikes];
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads)
        {
            List<Tensor> saved = ctx.get_saved_variables();
            var p = (LifParameters)ctx.get_data("p");
            var surrogate = (Surrogate)ctx.get_data("surrogate");
            bool membraneOutput = (bool)ctx.get_data("membrane");
            Tensor? gu = membraneOutput && grads.Count > 1 && Defined(grads[1]) ? grads[1] : null;
            Tensor? gs = Defined(grads[0]) ? grads[0] : null;
            Tensor gx = Backward(saved[0], saved.Count > 1 ? saved[1] : null, gs, gu, p, surrogate);
            return [gx, null!, null!, null!];
        }

        private static bool Defined(Tensor? t) => t is not null && t.Handle != IntPtr.Zero && t.numel() > 0;
    }
}
