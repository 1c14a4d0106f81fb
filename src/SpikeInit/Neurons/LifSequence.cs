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
    /// Differentiable with respect to <paramref name="currents"/>; <paramref name="timeChunk"/> (0 off,
    /// <see cref="SequenceCheckpoint.Sqrt"/>, or steps) checkpoints the recurrence for backward (<see cref="SequenceCheckpoint"/>).
    /// </summary>
    public static (Tensor Spikes, Tensor? Membrane) Run(Tensor currents, LifParameters p, Surrogate surrogate, bool membrane, int timeChunk = 0)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        if (!Supports(currents, p)) throw new ArgumentException("the fused LIF kernel needs float32 CPU currents [T, ...] and a Heaviside forward", nameof(currents));
        if (is_grad_enabled() && currents.requires_grad)
        {
            List<Tensor> outputs = FusedLifFunction.apply(currents, p, surrogate, membrane, timeChunk);
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

    /// <summary>Forward keeping only u at the end of each chunk but the last: row k is u_{(k+1)·chunk − 1}.</summary>
    private static (Tensor Spikes, Tensor Boundaries) CheckpointForward(Tensor currents, LifParameters p, int chunk)
    {
        var (x, staticInput) = HostInput(currents);
        int steps = (int)currents.shape[0], n = (int)(currents.numel() / steps), windows = (steps + chunk - 1) / chunk;
        Tensor spikes = empty(currents.shape, ScalarType.Float32);
        Tensor boundaries = empty([Math.Max(windows - 1, 1), n], ScalarType.Float32);
        var c = new Coefficients(p);
        FloatView xv = new(x), sv = new(spikes);
        for (int k = 0; k < windows; k++)
        {
            int from = k * chunk, to = Math.Min(steps, from + chunk);
            FloatView? initial = k == 0 ? null : Row(boundaries, k - 1), final = k == windows - 1 ? null : Row(boundaries, k);
            ForwardChunks(xv, staticInput, sv, null, new Window(from, to, 0, initial, final), steps, n, c);
        }
        GC.KeepAlive(x);
        return (spikes, boundaries);
    }

    /// <summary>
    /// Backward from the chunk boundaries: per chunk, last first, the membranes of the chunk (and u_{from−1}) are recomputed
    /// into a [chunk + 1, ...] buffer and the reverse recurrence runs over the chunk, carrying A = ∂L/∂u to the chunk before.
    /// </summary>
    private static Tensor CheckpointBackward(Tensor boundaries, Tensor currents, Tensor? gradSpikes, LifParameters p, Surrogate surrogate, int chunk)
    {
        int steps = (int)currents.shape[0], n = (int)(currents.numel() / steps), windows = (steps + chunk - 1) / chunk;
        var (x, staticInput) = HostInput(currents);
        Tensor gx = empty(currents.shape, ScalarType.Float32);
        Tensor? gs = gradSpikes is null ? null : Contiguous(gradSpikes);
        Tensor buffer = zeros([chunk + 1, n], ScalarType.Float32), carry = zeros([n], ScalarType.Float32);
        var c = new Coefficients(p);
        FloatView xv = new(x), uv = new(buffer), cv = new(carry);
        var rows = new Rows(uv, xv, staticInput, gs is null ? null : new FloatView(gs), null, new FloatView(gx));
        for (int k = windows - 1; k >= 0; k--)
        {
            int from = k * chunk, to = Math.Min(steps, from + chunk);
            FloatView? initial = k == 0 ? null : Row(boundaries, k - 1);
            if (initial is { } row) row.Slice(0, n).CopyTo(uv.Slice(0, n));
            ForwardChunks(xv, staticInput, null, new FloatView(buffer.narrow(0, 1, chunk)), new Window(from, to, from, initial, null), steps, n, c);
            BackwardChunks(rows, new Window(from, to, from - 1, null, cv), steps, n, c, surrogate);
        }
        GC.KeepAlive(x);
        GC.KeepAlive(gs);
        GC.KeepAlive(buffer);
        GC.KeepAlive(carry);
        GC.KeepAlive(boundaries);
        return gx;
    }

    /// <summary>Row <paramref name="row"/> of a contiguous [rows, n] tensor as host memory.</summary>
    private static FloatView Row(Tensor tensor, int row) => new(tensor.select(0, row));

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
        ForwardChunks(x, staticInput, spikes, membrane, new Window(0, steps, 0, null, null), steps, n, c);

    private static void ForwardChunks(FloatView x, bool staticInput, FloatView? spikes, FloatView? membrane, Window window, int steps, int n, Coefficients c) =>
        HostKernel.ForChunks(n, window.To - window.From, LifCharge.Dispatch(c.Reset, new ForwardBody(x, staticInput, spikes, membrane, window, n, c)));

    /// <summary>
    /// The steps [From, To) of a pass; the membrane of step t is row t − MembraneBase of the membrane tensor. Forward:
    /// the state before From is read from Initial (u_{From−1}; zero state when absent) and u_{To−1} written to Final.
    /// Backward: Final carries A = ∂L/∂u between windows (read when To &lt; T, written after From).
    /// </summary>
    private readonly record struct Window(int From, int To, int MembraneBase, FloatView? Initial, FloatView? Final);

    /// <summary>The forward pass over a range of neurons, compiled for the charge of the reset.</summary>
    private sealed class ForwardBody(FloatView x, bool staticInput, FloatView? spikes, FloatView? membrane, Window window, int n, Coefficients c) : ILifChargeUser<Action<int, int>>
    {
        public Action<int, int> Use<TCharge>() where TCharge : struct, ILifCharge =>
            (start, end) => ForwardChunk<TCharge>(x, staticInput, spikes, membrane, window, n, start, end, c);
    }

    /// <summary>
    /// Neurons [start, end) over all steps. The state (u, s of the previous step) stays on the stack; inputs are read and
    /// outputs written in place, whole vectors at a time; the ragged last vector goes through a padded copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardChunk<TCharge>(FloatView x, bool staticInput, FloatView? spikes, FloatView? membrane, Window window, int n, int start, int end, Coefficients c)
        where TCharge : struct, ILifCharge
    {
        int len = end - start, w = Vector<float>.Count, body = len - len % w;
        Span<float> u = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        Span<float> s = stackalloc float[HostKernel.Chunk + Vector<float>.Count];
        Span<float> tail = stackalloc float[Vector<float>.Count];
        u.Clear();
        s.Clear();
        tail.Clear();
        if (window.Initial is { } initial)
        {
            initial.Slice(start, len).CopyTo(u);
            for (int j = 0; j < len; j += w) c.Fire(new Vector<float>(u[j..])).CopyTo(s[j..]);
            s[len..].Clear();
        }
        ref float ur = ref MemoryMarshal.GetReference(u), sr = ref MemoryMarshal.GetReference(s);
        var beta = new Vector<float>(c.Beta);
        var theta = new Vector<float>(c.Theta);
        var gain = new Vector<float>(c.Gain);
        bool keep = membrane is not null, write = spikes is not null;
        Span<float> scratch = stackalloc float[write ? 0 : HostKernel.Chunk + Vector<float>.Count];
        for (int t = window.From; t < window.To; t++)
        {
            int row = t * n + start;
            Span<float> xs = x.Slice((staticInput ? 0 : t * n) + start, len), so = write ? spikes!.Value.Slice(row, len) : scratch[..len];
            Span<float> uo = keep ? membrane!.Value.Slice((t - window.MembraneBase) * n + start, len) : u;
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
        if (window.Final is { } final) u[..len].CopyTo(final.Slice(start, len));
    }

    private static void BackwardChunks(Rows rows, int steps, int n, Coefficients c, Surrogate surrogate) =>
        BackwardChunks(rows, new Window(0, steps, 0, null, null), steps, n, c, surrogate);

    private static void BackwardChunks(Rows rows, Window window, int steps, int n, Coefficients c, Surrogate surrogate) =>
        HostKernel.ForChunks(n, window.To - window.From, LifCharge.Dispatch(c.Reset, new BackwardBody(rows, window, steps, n, c, surrogate)));

    /// <summary>The backward pass over a range of neurons, compiled for the charge of the reset.</summary>
    private sealed class BackwardBody(Rows rows, Window window, int steps, int n, Coefficients c, Surrogate surrogate) : ILifChargeUser<Action<int, int>>
    {
        public Action<int, int> Use<TCharge>() where TCharge : struct, ILifCharge =>
            (start, end) => BackwardChunk<TCharge>(rows, window, steps, n, start, end, c, surrogate);
    }

    /// <summary>The tensors of a backward pass: saved membranes (and input), output gradients, input gradient.</summary>
    private readonly record struct Rows(FloatView Membrane, FloatView? Input, bool StaticInput, FloatView? GradSpikes, FloatView? GradMembrane, FloatView GradInput);

    /// <summary>Neurons [start, end), t = T−1 … 0; A = ∂L/∂u_{t+1} on the stack, everything else read and written in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardChunk<TCharge>(Rows rows, Window window, int steps, int n, int start, int end, Coefficients c, Surrogate surrogate)
        where TCharge : struct, ILifCharge
    {
        int len = end - start, w = Vector<float>.Count, body = len - len % w, padded = HostKernel.Chunk + Vector<float>.Count;
        Span<float> a = stackalloc float[padded];
        Span<float> slope = stackalloc float[padded];      // u − θ, then h'(u − θ)
        Span<float> tail = stackalloc float[6 * Vector<float>.Count];     // u, ∂L/∂s, ∂L/∂u, u_{t−1}, x_{t+1}, ∂L/∂x of the ragged vector
        a.Clear();
        slope.Clear();
        tail.Clear();
        if (window.Final is { } carry && window.To < steps) carry.Slice(start, len).CopyTo(a);
        var k = new BackwardConstants(c);
        for (int t = window.To - 1; t >= window.From; t--)
        {
            int row = t * n + start, memory = (t - window.MembraneBase) * n + start;
            Span<float> u = rows.Membrane.Slice(memory, len);
            Center(u, slope, c.Theta);
            surrogate.Derivative(slope[..len], slope[..len]);
            var v = new Views(
                u,
                rows.GradSpikes is { } gs ? gs.Slice(row, len) : default,
                rows.GradMembrane is { } gu ? gu.Slice(row, len) : default,
                TCharge.AfterInput && t > 0 ? rows.Membrane.Slice(memory - n, len) : default,
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
        if (window.Final is { } result) a[..len].CopyTo(result.Slice(start, len));
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
            int chunk = membraneOutput ? 0 : SequenceCheckpoint.Steps((int)vars[4], (int)x.shape[0]);
            ctx.save_data("p", p);
            ctx.save_data("surrogate", surrogate);
            ctx.save_data("membrane", membraneOutput);
            ctx.save_data("chunk", chunk);
            if (chunk > 0)
            {
                var (checkpointSpikes, boundaries) = CheckpointForward(x, p, chunk);
                ctx.save_for_backward([boundaries, x]);
                return [checkpointSpikes];
            }
            var (spikes, u) = Forward(x, p, keepMembrane: true);
            ctx.save_for_backward(p.Reset == LifReset.ZeroAfterInput && !p.Spike.DetachReset ? [u!, x] : [u!]);
            return membraneOutput ? [spikes, u!] : [spikes];
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads)
        {
            List<Tensor> saved = ctx.get_saved_variables();
            var p = (LifParameters)ctx.get_data("p");
            var surrogate = (Surrogate)ctx.get_data("surrogate");
            bool membraneOutput = (bool)ctx.get_data("membrane");
            int chunk = (int)ctx.get_data("chunk");
            Tensor? gu = membraneOutput && grads.Count > 1 && Defined(grads[1]) ? grads[1] : null;
            Tensor? gs = Defined(grads[0]) ? grads[0] : null;
            Tensor gx = chunk > 0 ? CheckpointBackward(saved[0], saved[1], gs, p, surrogate, chunk)
                                  : Backward(saved[0], saved.Count > 1 ? saved[1] : null, gs, gu, p, surrogate);
            return [gx, null!, null!, null!, null!];
        }

        private static bool Defined(Tensor? t) => t is not null && t.Handle != IntPtr.Zero && t.numel() > 0;
    }
}
