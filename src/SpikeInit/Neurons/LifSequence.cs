using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// with the partial derivatives of each <see cref="LifReset"/>, defined beside its charge in <c>LifCharge</c>.
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
        using (no_grad()) return Forward(currents, p, membrane);
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
        ForwardChunks(xv, staticInput, sv, uv, steps, n, c);
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
        BackwardChunks(new Rows(uv, xv, staticInput, gsv, guv, gxv), steps, n, c, surrogate);
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
    internal readonly struct Coefficients(LifParameters p)
    {
        public readonly float Beta = (float)p.Beta, Theta = (float)p.Theta, Gain = (float)p.Gain;
        public readonly bool Scaled = p.Gain != 1.0, GreaterOrEqual = p.Spike.Condition == SpikeCondition.GreaterOrEqual, Detach = p.Spike.DetachReset;
        public readonly LifReset Reset = p.Reset;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<float> Fire(Vector<float> u)
        {
            var theta = new Vector<float>(Theta);
            Vector<int> fired = GreaterOrEqual ? Vector.GreaterThanOrEqual(u, theta) : Vector.GreaterThan(u, theta);
            return Vector.ConditionalSelect(fired, Vector<float>.One, Vector<float>.Zero);
        }
    }

    private static void ForwardChunks(FloatView x, bool staticInput, FloatView spikes, FloatView? membrane, int steps, int n, Coefficients c) =>
        HostKernel.ForChunks(n, steps, LifCharge.Dispatch(c.Reset, new ForwardBody(x, staticInput, spikes, membrane, steps, n, c)));

    /// <summary>The forward pass over a range of neurons, compiled for the charge of the reset.</summary>
    private sealed class ForwardBody(FloatView x, bool staticInput, FloatView spikes, FloatView? membrane, int steps, int n, Coefficients c) : ILifChargeUser<Action<int, int>>
    {
        public Action<int, int> Use<TCharge>() where TCharge : struct, ILifCharge =>
            (start, end) => ForwardChunk<TCharge>(x, staticInput, spikes, membrane, steps, n, start, end, c);
    }

    /// <summary>
    /// Neurons [start, end) over all steps. The state (u, s of the previous step) stays on the stack; inputs are read and
    /// outputs written in place, whole vectors at a time; the ragged last vector goes through a padded copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardChunk<TCharge>(FloatView x, bool staticInput, FloatView spikes, FloatView? membrane, int steps, int n, int start, int end, Coefficients c)
        where TCharge : struct, ILifCharge
    {
        int len = end - start, w = Vector<float>.Count, body = len - len % w;
        Span<float> u = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        Span<float> s = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        Span<float> tail = stackalloc float[Vector<float>.Count];
        u.Clear();
        s.Clear();
        tail.Clear();
        ref float ur = ref MemoryMarshal.GetReference(u), sr = ref MemoryMarshal.GetReference(s);
        var beta = new Vector<float>(c.Beta);
        var theta = new Vector<float>(c.Theta);
        var gain = new Vector<float>(c.Gain);
        bool keep = membrane is not null;
        for (int t = 0; t < steps; t++)
        {
            int row = t * n + start;
            Span<float> xs = x.Slice((staticInput ? 0 : t * n) + start, len), so = spikes.Slice(row, len);
            Span<float> uo = keep ? membrane!.Value.Slice(row, len) : u;
            ref float xr = ref MemoryMarshal.GetReference(xs), sor = ref MemoryMarshal.GetReference(so), uor = ref MemoryMarshal.GetReference(uo);
            for (nuint j = 0; j < (nuint)body; j += (nuint)w)
            {
                Vector<float> xv = Vector.LoadUnsafe(ref xr, j);
                if (c.Scaled) xv *= gain;
                Vector<float> uv = TCharge.Charge(Vector.LoadUnsafe(ref ur, j), Vector.LoadUnsafe(ref sr, j), xv, beta, theta);
                Vector<float> sv = c.Fire(uv);
                uv.StoreUnsafe(ref ur, j);
                sv.StoreUnsafe(ref sr, j);
                sv.StoreUnsafe(ref sor, j);
                if (keep) uv.StoreUnsafe(ref uor, j);
            }
            if (body < len)
            {
                xs[body..].CopyTo(tail);
                Vector<float> xv = new(tail);
                if (c.Scaled) xv *= gain;
                Vector<float> uv = TCharge.Charge(new Vector<float>(u[body..]), new Vector<float>(s[body..]), xv, beta, theta);
                uv.CopyTo(u[body..]);
                c.Fire(uv).CopyTo(s[body..]);
                s[body..len].CopyTo(so[body..]);
                if (keep) u[body..len].CopyTo(uo[body..]);
            }
        }
    }

    private static void BackwardChunks(Rows rows, int steps, int n, Coefficients c, Surrogate surrogate) =>
        HostKernel.ForChunks(n, steps, LifCharge.Dispatch(c.Reset, new BackwardBody(rows, steps, n, c, surrogate)));

    /// <summary>The backward pass over a range of neurons, compiled for the charge of the reset.</summary>
    private sealed class BackwardBody(Rows rows, int steps, int n, Coefficients c, Surrogate surrogate) : ILifChargeUser<Action<int, int>>
    {
        public Action<int, int> Use<TCharge>() where TCharge : struct, ILifCharge =>
            (start, end) => BackwardChunk<TCharge>(rows, steps, n, start, end, c, surrogate);
    }

    /// <summary>The tensors of a backward pass: saved membranes (and input), output gradients, input gradient.</summary>
    private readonly record struct Rows(FloatView Membrane, FloatView? Input, bool StaticInput, FloatView? GradSpikes, FloatView? GradMembrane, FloatView GradInput);

    /// <summary>Neurons [start, end), t = T−1 … 0; A = ∂L/∂u_{t+1} on the stack, everything else read and written in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardChunk<TCharge>(Rows rows, int steps, int n, int start, int end, Coefficients c, Surrogate surrogate)
        where TCharge : struct, ILifCharge
    {
        int len = end - start, w = Vector<float>.Count, body = len - len % w, padded = HostKernel.Chunk + Vector<float>.Count;
        Span<float> a = stackalloc float[padded];
        Span<float> slope = stackalloc float[padded];      // u − θ, then h'(u − θ)
        Span<float> tail = stackalloc float[6 * Vector<float>.Count];     // u, ∂L/∂s, ∂L/∂u, u_{t−1}, x_{t+1}, ∂L/∂x of the ragged vector
        a.Clear();
        slope.Clear();
        tail.Clear();
        var k = new BackwardConstants(c);
        for (int t = steps - 1; t >= 0; t--)
        {
            int row = t * n + start;
            Span<float> u = rows.Membrane.Slice(row, len);
            Center(u, slope, c.Theta);
            surrogate.Derivative(slope[..len], slope[..len]);
            var v = new Views(
                u,
                rows.GradSpikes is { } gs ? gs.Slice(row, len) : default,
                rows.GradMembrane is { } gu ? gu.Slice(row, len) : default,
                TCharge.AfterInput && t > 0 ? rows.Membrane.Slice(row - n, len) : default,
                TCharge.AfterInput && !c.Detach && t < steps - 1 ? rows.Input!.Value.Slice((rows.StaticInput ? 0 : (t + 1) * n) + start, len) : default,
                rows.GradInput.Slice(row, len));
            bool last = t == steps - 1, throughReset = !c.Detach && !last;
            for (int j = 0; j < body; j += w) BackwardVector<TCharge>(v, a, slope, j, j, k, last, throughReset, t > 0);
            if (body < len)
            {
                Views padded6 = v.Tail(body, tail, w);
                BackwardVector<TCharge>(padded6, a, slope, 0, body, k, last, throughReset, t > 0);
                padded6.GradInput[..(len - body)].CopyTo(v.GradInput[body..]);
            }
        }
    }

    /// <summary><paramref name="result"/> = <paramref name="u"/> − θ.</summary>
    private static void Center(ReadOnlySpan<float> u, Span<float> result, float theta)
    {
        int j = 0, w = Vector<float>.Count;
        var th = new Vector<float>(theta);
        for (; j <= u.Length - w; j += w) (new Vector<float>(u[j..]) - th).CopyTo(result[j..]);
        for (; j < u.Length; j++) result[j] = u[j] - theta;
    }

    /// <summary>Per-row spans of one backward step (empty when absent).</summary>
    private readonly ref struct Views(Span<float> u, Span<float> gradSpikes, Span<float> gradMembrane, Span<float> uPrev, Span<float> xNext, Span<float> gradInput)
    {
        public readonly Span<float> U = u, GradSpikes = gradSpikes, GradMembrane = gradMembrane, UPrev = uPrev, XNext = xNext, GradInput = gradInput;

        /// <summary>The elements from <paramref name="from"/> on, copied into zero-padded vectors of <paramref name="buffer"/>.</summary>
        public Views Tail(int from, Span<float> buffer, int w) =>
            new(Pad(U, from, buffer[..w]), Pad(GradSpikes, from, buffer.Slice(w, w)), Pad(GradMembrane, from, buffer.Slice(2 * w, w)),
                Pad(UPrev, from, buffer.Slice(3 * w, w)), Pad(XNext, from, buffer.Slice(4 * w, w)), buffer.Slice(5 * w, w));

        private static Span<float> Pad(Span<float> source, int from, Span<float> target)
        {
            if (source.IsEmpty) return default;
            target.Clear();
            source[from..].CopyTo(target);
            return target;
        }
    }

    private readonly struct BackwardConstants(Coefficients c)
    {
        public readonly Vector<float> Beta = new(c.Beta), Theta = new(c.Theta), Gain = new(c.Gain);
        public readonly Coefficients C = c;
    }

    /// <summary>One vector of the backward recurrence at offset <paramref name="j"/> of the views (<paramref name="state"/> in the chunk).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BackwardVector<TCharge>(scoped in Views v, Span<float> a, Span<float> slope, int j, int state, in BackwardConstants k, bool last, bool throughReset, bool hasPrevious)
        where TCharge : struct, ILifCharge
    {
        ref float ar = ref Unsafe.Add(ref MemoryMarshal.GetReference(a), state);
        Vector<float> u = Vector.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(v.U), j));
        Vector<float> s = k.C.Fire(u);
        Vector<float> next = last ? Vector<float>.Zero : Vector.LoadUnsafe(ref ar);
        Vector<float> gradS = v.GradSpikes.IsEmpty ? Vector<float>.Zero : Vector.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(v.GradSpikes), j));
        if (throughReset)
        {
            Vector<float> xNext = TCharge.AfterInput ? Vector.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(v.XNext), j)) * k.Gain : Vector<float>.Zero;
            gradS += next * TCharge.DuDs(u, xNext, k.Beta, k.Theta);
        }
        Vector<float> gradU = next * TCharge.DuDu(s, k.Beta) + gradS * Vector.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(slope), state));
        if (!v.GradMembrane.IsEmpty) gradU += Vector.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(v.GradMembrane), j));
        gradU.StoreUnsafe(ref ar);
        Vector<float> gx = gradU * k.Gain;
        if (TCharge.AfterInput && hasPrevious) gx *= Vector<float>.One - k.C.Fire(Vector.LoadUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(v.UPrev), j)));
        gx.StoreUnsafe(ref Unsafe.Add(ref MemoryMarshal.GetReference(v.GradInput), j));
    }

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
