using System.Numerics;
using SpikeInit.Runtime;
using SpikeInit.Surrogates;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Neurons;

/// <summary>
/// The fused multi-step form of <see cref="CubaLif.Step"/>: the recurrence over all T steps as one pass over memory forward
/// and one backward, as a single autograd function per layer (as <see cref="LifSequence"/> is for the LIF kernel). Same
/// semantics as stepping the kernel from its initial state (parity-tested: forward bit for bit, gradients to float32
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
    public static (Tensor Spikes, Tensor? Membrane) Run(Tensor currents, CubaLifParameters p, Surrogate surrogate, bool membrane)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        if (!Supports(currents, p)) throw new ArgumentException("the fused CUBA-LIF kernel needs float32 CPU currents [T, ...] and a Heaviside forward", nameof(currents));
        if (is_grad_enabled() && currents.requires_grad)
        {
            List<Tensor> outputs = FusedCubaFunction.apply(currents, p, surrogate, membrane);
            return (outputs[0], membrane ? outputs[1] : null);
        }
        using (no_grad())
        {
            var (spikes, u, _) = Forward(currents, p, membrane, keepCurrent: false);
            return (spikes, u);
        }
    }

    /// <summary>Whether backward needs the currents I_t (the reset's gradient path).</summary>
    private static bool NeedsCurrent(CubaLifParameters p) => p.Reset && !p.Spike.DetachReset;

    private static (Tensor Spikes, Tensor? Membrane, Tensor? Current) Forward(Tensor currents, CubaLifParameters p, bool keepMembrane, bool keepCurrent)
    {
        bool constant = currents.shape[0] > 1 && currents.stride(0) == 0;
        Tensor x = constant ? currents.select(0, 0).contiguous() : currents.contiguous();
        int steps = (int)currents.shape[0], n = (int)(currents.numel() / steps);
        Tensor spikes = empty(currents.shape, ScalarType.Float32);
        Tensor? u = keepMembrane ? empty(currents.shape, ScalarType.Float32) : null;
        Tensor? i = keepCurrent ? empty(currents.shape, ScalarType.Float32) : null;
        var c = new Coefficients(p);
        FloatView xv = new(x), sv = new(spikes);
        FloatView? uv = u is null ? null : new FloatView(u), iv = i is null ? null : new FloatView(i);
        HostKernel.ForChunks(n, steps, (start, end) => ForwardChunk(xv, constant, sv, uv, iv, steps, n, start, end, c));
        GC.KeepAlive(x);
        return (spikes, u, i);
    }

    /// <summary>The kernel's float32 constants, converted as the tensor operations of <see cref="CubaLif.Step"/> convert them.</summary>
    private readonly struct Coefficients(CubaLifParameters p)
    {
        public readonly float MembraneDecay = (float)p.MembraneDecay, Complement = (float)(1 - p.MembraneDecay), SynapseDecay = (float)p.SynapseDecay;
        public readonly float Theta = (float)p.Theta, Initial = (float)p.InitialMembrane;
        public readonly bool Reset = p.Reset, GreaterOrEqual = p.Spike.Condition == SpikeCondition.GreaterOrEqual, Detach = p.Spike.DetachReset;

        public Vector<float> Fire(Vector<float> u)
        {
            if (!Reset) return Vector<float>.Zero;
            var theta = new Vector<float>(Theta);
            Vector<int> fired = GreaterOrEqual ? Vector.GreaterThanOrEqual(u, theta) : Vector.GreaterThan(u, theta);
            return Vector.ConditionalSelect(fired, Vector<float>.One, Vector<float>.Zero);
        }
    }

    /// <summary>Neurons [start, end) over all steps; U and I on the stack.</summary>
    private static void ForwardChunk(FloatView x, bool staticInput, FloatView spikes, FloatView? membrane, FloatView? current, int steps, int n, int start, int end, Coefficients c)
    {
        int len = end - start, w = Vector<float>.Count;
        Span<float> u = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        Span<float> i = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        u.Fill(c.Initial);
        i.Clear();
        var lm = new Vector<float>(c.MembraneDecay);
        var complement = new Vector<float>(c.Complement);
        var ls = new Vector<float>(c.SynapseDecay);
        for (int t = 0; t < steps; t++)
        {
            int row = t * n + start;
            Span<float> xs = t == 0 ? default : x.Slice((staticInput ? 0 : (t - 1) * n) + start, len);
            Span<float> so = spikes.Slice(row, len);
            Span<float> uo = membrane is { } m ? m.Slice(row, len) : default, io = current is { } cu ? cu.Slice(row, len) : default;
            for (int j = 0; j < len; j += w)
            {
                var uv = new Vector<float>(u[j..]);
                var iv = new Vector<float>(i[j..]);
                Vector<float> s = c.Fire(uv);
                Vector<float> xv = t == 0 ? Vector<float>.Zero : HostLanes.Load(xs, j);
                Vector<float> next = uv * lm + iv * complement;
                if (c.Reset) next *= Vector<float>.One - s;
                (iv * ls + xv).CopyTo(i[j..]);
                next.CopyTo(u[j..]);
                HostLanes.Store(s, so, j);
                if (!uo.IsEmpty) HostLanes.Store(next, uo, j);
                if (!io.IsEmpty) HostLanes.Store(iv, io, j);
            }
        }
    }

    private static Tensor Backward(Tensor membrane, Tensor? current, Tensor? gradSpikes, Tensor? gradMembrane, CubaLifParameters p, Surrogate surrogate)
    {
        int steps = (int)membrane.shape[0], n = (int)(membrane.numel() / steps);
        Tensor gx = empty(membrane.shape, ScalarType.Float32);
        Tensor? gs = gradSpikes?.to(ScalarType.Float32).contiguous(), gu = gradMembrane?.to(ScalarType.Float32).contiguous();
        var rows = new Rows(new FloatView(membrane), current is null ? null : new FloatView(current), gs is null ? null : new FloatView(gs),
                            gu is null ? null : new FloatView(gu), new FloatView(gx));
        var c = new Coefficients(p);
        HostKernel.ForChunks(n, steps, (start, end) => BackwardChunk(rows, steps, n, start, end, c, surrogate));
        GC.KeepAlive(gs);
        GC.KeepAlive(gu);
        return gx;
    }

    /// <summary>The tensors of a backward pass: saved membranes (and currents), output gradients, input gradient.</summary>
    private readonly record struct Rows(FloatView Membrane, FloatView? Current, FloatView? GradSpikes, FloatView? GradMembrane, FloatView GradInput);

    /// <summary>Neurons [start, end), t = T−1 … 0; A, C and the slope row on the stack.</summary>
    private static void BackwardChunk(Rows rows, int steps, int n, int start, int end, Coefficients c, Surrogate surrogate)
    {
        int len = end - start, w = Vector<float>.Count, padded = HostKernel.Chunk + Vector<float>.Count;
        Span<float> a = stackalloc float[padded];
        Span<float> ci = stackalloc float[padded];
        Span<float> slope = stackalloc float[padded];
        Span<float> initial = stackalloc float[padded];
        a.Clear();
        ci.Clear();
        slope.Clear();
        initial.Fill(c.Initial);
        var lm = new Vector<float>(c.MembraneDecay);
        var complement = new Vector<float>(c.Complement);
        var ls = new Vector<float>(c.SynapseDecay);
        for (int t = Math.Max(steps - 2, 0); t < steps; t++) rows.GradInput.Slice(t * n + start, len).Clear();
        bool throughReset = c.Reset && !c.Detach;
        for (int t = steps - 1; t >= 0; t--)
        {
            int row = t * n + start;
            ReadOnlySpan<float> u = t == 0 ? initial[..len] : rows.Membrane.Slice(row - n, len);
            if (c.Reset) HostLanes.Slope(u, slope, c.Theta, surrogate);
            Span<float> gm = rows.GradMembrane is { } g1 ? g1.Slice(row, len) : default;
            Span<float> gs = c.Reset && rows.GradSpikes is { } g2 ? g2.Slice(row, len) : default;
            Span<float> cur = throughReset ? rows.Current!.Value.Slice(row, len) : default;
            Span<float> gx = t >= 2 ? rows.GradInput.Slice(row - 2 * n, len) : default;
            for (int j = 0; j < len; j += w)
            {
                Vector<float> total = new Vector<float>(a[j..]);
                if (!gm.IsEmpty) total += HostLanes.Load(gm, j);
                Vector<float> uv = HostLanes.Load(u, j);
                Vector<float> keep = Vector<float>.One - c.Fire(uv);
                Vector<float> gradU = total * keep * lm;
                if (c.Reset)
                {
                    Vector<float> gradS = gs.IsEmpty ? Vector<float>.Zero : HostLanes.Load(gs, j);
                    if (throughReset) gradS -= total * (uv * lm + HostLanes.Load(cur, j) * complement);
                    gradU += gradS * new Vector<float>(slope[j..]);
                }
                Vector<float> gradI = new Vector<float>(ci[j..]) * ls + total * keep * complement;
                gradU.CopyTo(a[j..]);
                gradI.CopyTo(ci[j..]);
                if (!gx.IsEmpty) HostLanes.Store(gradI, gx, j);
            }
        }
    }

    /// <summary>The autograd node: inputs (currents, parameters, surrogate, membrane output?), outputs [spikes(, membranes)].</summary>
    private sealed class FusedCubaFunction : MultiTensorFunction<FusedCubaFunction>
    {
        public override string Name => "SpikeInitFusedCubaLif";

        public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            var p = (CubaLifParameters)vars[1];
            bool membraneOutput = (bool)vars[3];
            var (spikes, u, i) = Forward(x, p, keepMembrane: true, keepCurrent: NeedsCurrent(p));
            ctx.save_for_backward(i is null ? [u!] : [u!, i]);
            ctx.save_data("p", p);
            ctx.save_data("surrogate", vars[2]);
            ctx.save_data("membrane", membraneOutput);
            return membraneOutput ? [spikes, u!] : [spikes];
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads)
        {
            List<Tensor> saved = ctx.get_saved_variables();
            var p = (CubaLifParameters)ctx.get_data("p");
            var surrogate = (Surrogate)ctx.get_data("surrogate");
            bool membraneOutput = (bool)ctx.get_data("membrane");
            Tensor? gu = membraneOutput && grads.Count > 1 && Defined(grads[1]) ? grads[1] : null;
            Tensor? gs = Defined(grads[0]) ? grads[0] : null;
            return [Backward(saved[0], saved.Count > 1 ? saved[1] : null, gs, gu, p, surrogate), null!, null!, null!];
        }

        private static bool Defined(Tensor? t) => t is not null && t.Handle != IntPtr.Zero && t.numel() > 0;
    }
}
