using System.Numerics;
using SpikeInit.Runtime;
using SpikeInit.Surrogates;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Neurons;

/// <summary>
/// The host recurrences shared by the fused current-based kernels (<see cref="CubaLifSequence"/>: one synaptic pool,
/// <see cref="CubaExcInhSequence"/>: an excitatory and an inhibitory pool) and their autograd function. With the drive
/// D_t = I_t (one pool) or D_t = Ie_t − Ii_t (two pools, the float32 difference the step kernel computes):
/// <code>
/// S_t = H(U_t − θ)   I_{k,t+1} = λ_k·I_{k,t} + X_{k,t}   U_{t+1} = (λ_m·U_t + (1 − λ_m)·D_t)·(1 − S_t)
/// </code>
/// Backward (A = ∂L/∂U_{t+1} total, C_k = ∂L/∂I_{k,t+1}, ± the pool's sign in D):
/// <code>
/// ∂L/∂S_t = (external) − A·(λ_m·U_t + (1 − λ_m)·D_t)          (the reset path; dropped when the reset is detached)
/// ∂L/∂U_t = A·(1 − S_t)·λ_m + ∂L/∂S_t·h'(U_t − θ)
/// ∂L/∂I_{k,t} = C_k·λ_k ± A·(1 − S_t)·(1 − λ_m)     ∂L/∂X_{k,t−2} = ∂L/∂I_{k,t}
/// </code>
/// Pool k of a two-pool current <c>[T, B, 2N, …]</c> is the k-th half of dimension 2.
/// <para>
/// Time checkpointing (<see cref="SequenceCheckpoint"/>): with a chunk of C steps, forward keeps only the state (U, I_k) at
/// the start of every chunk instead of U and D at every step, and backward recomputes one chunk's U and D from its start
/// state, runs the chunk's steps backward carrying (A, C_k) across chunks, and moves to the previous chunk. The recomputed
/// rows are the same float32 operations in the same order, so the gradients are bit for bit those without checkpointing.
/// </para>
/// </summary>
internal static class CubaHostKernel
{
    /// <summary>
    /// The kernel's float32 constants, converted as the tensor operations of the step kernels convert them, and its
    /// switches. <paramref name="inhibitoryDecay"/> is null for one pool.
    /// </summary>
    internal readonly struct Constants(double membraneDecay, double synapseDecay, double? inhibitoryDecay, double theta, double initial,
                                       bool reset, SpikeOptions spike)
    {
        public readonly float MembraneDecay = (float)membraneDecay, Complement = (float)(1 - membraneDecay);
        public readonly float SynapseDecay = (float)synapseDecay, InhibitoryDecay = (float)(inhibitoryDecay ?? 0);
        public readonly float Theta = (float)theta, Initial = (float)initial;
        public readonly bool Reset = reset, GreaterOrEqual = spike.Condition == SpikeCondition.GreaterOrEqual, Detach = spike.DetachReset;
        public readonly bool TwoPools = inhibitoryDecay is not null;

        /// <summary>Whether backward needs the drive D_t (the reset's gradient path).</summary>
        public bool NeedsDrive => Reset && !Detach;

        public Vector<float> Fire(Vector<float> u)
        {
            if (!Reset) return Vector<float>.Zero;
            var theta = new Vector<float>(Theta);
            Vector<int> fired = GreaterOrEqual ? Vector.GreaterThanOrEqual(u, theta) : Vector.GreaterThan(u, theta);
            return Vector.ConditionalSelect(fired, Vector<float>.One, Vector<float>.Zero);
        }
    }

    /// <summary>
    /// Runs the kernel over currents <c>[T, …]</c> (two pools: <c>[T, B, 2N, …]</c>) from the initial state (U = U₀, the rest
    /// 0). Returns spikes and, when <paramref name="membrane"/> is set, the recorded membranes. Differentiable in the currents.
    /// </summary>
    /// <param name="currents">The currents.</param>
    /// <param name="c">The constants.</param>
    /// <param name="surrogate">The surrogate of backward.</param>
    /// <param name="membrane">Whether to return the recorded membranes.</param>
    /// <param name="timeChunk">Time checkpointing for backward (<see cref="Neuron.TimeChunk"/>; not with recorded membranes).</param>
    public static (Tensor Spikes, Tensor? Membrane) Run(Tensor currents, Constants c, Surrogate surrogate, bool membrane, int timeChunk = 0)
    {
        if (is_grad_enabled() && currents.requires_grad)
        {
            List<Tensor> outputs = FusedCubaFunction.apply(currents, c, surrogate, membrane, timeChunk);
            return (outputs[0], membrane ? outputs[1] : null);
        }
        using (no_grad())
        {
            var (spikes, u, _, _) = Forward(currents, c, membrane, keepDrive: false);
            return (spikes, u);
        }
    }

    /// <summary>Selects the pool strategy once, so each compiles to its own loop.</summary>
    private interface IPools
    {
        static abstract bool Two { get; }
    }

    private readonly struct OnePool : IPools
    {
        public static bool Two => false;
    }

    private readonly struct TwoPools : IPools
    {
        public static bool Two => true;
    }

    /// <summary>The inputs of each pool as contiguous rows (one row when the input is constant in time).</summary>
    private static Tensor[] Pools(Tensor currents, bool twoPools, bool constant)
    {
        Tensor[] pools = twoPools ? currents.chunk(2, 2) : [currents];
        return [.. pools.Select(x => constant ? x.select(0, 0).contiguous() : x.contiguous())];
    }

    /// <summary>
    /// The full forward pass; with <paramref name="chunk"/> &gt; 0 it also keeps the state (U, I_k) at the start of every
    /// chunk of that many steps, as <c>[K, pools + 1, n]</c> boundaries.
    /// </summary>
    private static (Tensor Spikes, Tensor? Membrane, Tensor? Drive, Tensor? Boundaries) Forward(Tensor currents, Constants c, bool keepMembrane, bool keepDrive, int chunk = 0)
    {
        bool constant = currents.shape[0] > 1 && currents.stride(0) == 0;
        long[] shape = Shape(currents, c);
        Tensor[] x = Pools(currents, c.TwoPools, constant);
        int steps = (int)shape[0], n = (int)(shape.Aggregate(1L, (a, b) => a * b) / steps);
        Tensor spikes = empty(shape, ScalarType.Float32);
        Tensor? u = keepMembrane ? empty(shape, ScalarType.Float32) : null;
        Tensor? d = keepDrive ? empty(shape, ScalarType.Float32) : null;
        Tensor? boundaries = chunk > 0 ? empty([(steps + chunk - 1) / chunk, c.TwoPools ? 3 : 2, n], ScalarType.Float32) : null;
        var views = new ForwardViews(new FloatView(x[0]), c.TwoPools ? new FloatView(x[1]) : null, constant, new FloatView(spikes),
                                     u is null ? null : new FloatView(u), d is null ? null : new FloatView(d),
                                     boundaries is null ? null : new FloatView(boundaries), chunk, null);
        Sweep(views, 0, steps, n, c);
        GC.KeepAlive(x);
        return (spikes, u, d, boundaries);
    }

    /// <summary>The per-step shape of the state (a two-pool current's dimension 2 holds both pools).</summary>
    private static long[] Shape(Tensor currents, Constants c)
    {
        long[] shape = [.. currents.shape];
        if (c.TwoPools) shape[2] /= 2;
        return shape;
    }

    /// <summary>Steps [<paramref name="from"/>, <paramref name="to"/>) for all n neurons, in parallel chunks of neurons.</summary>
    private static void Sweep(ForwardViews views, int from, int to, int n, Constants c)
    {
        if (c.TwoPools) HostKernel.ForChunks(n, to - from, (start, end) => ForwardChunk<TwoPools>(views, from, to, n, start, end, c));
        else HostKernel.ForChunks(n, to - from, (start, end) => ForwardChunk<OnePool>(views, from, to, n, start, end, c));
    }

    /// <summary>
    /// The tensors of a forward pass: the pools' inputs, spikes (absolute rows), recorded membranes and drives (rows relative
    /// to the first step), the chunk-start states written every <paramref name="Chunk"/> steps, and the state to start from
    /// (rows U, I, H of n each; null: the initial state).
    /// </summary>
    private readonly record struct ForwardViews(FloatView Input, FloatView? Inhibitory, bool StaticInput, FloatView? Spikes, FloatView? Membrane,
                                                FloatView? Drive, FloatView? Boundaries, int Chunk, FloatView? Start);

    /// <summary>Neurons [start, end) over steps [from, to); U and the pools' currents on the stack.</summary>
    private static void ForwardChunk<TPools>(ForwardViews v, int from, int to, int n, int start, int end, Constants c) where TPools : struct, IPools
    {
        int len = end - start, w = Vector<float>.Count, padded = HostKernel.Chunk + Vector<float>.Count, rows = TPools.Two ? 3 : 2;
        Span<float> u = stackalloc float[padded];
        Span<float> i = stackalloc float[padded];
        Span<float> h = stackalloc float[TPools.Two ? padded : 0];
        if (v.Start is { } s0)
        {
            s0.Slice(start, len).CopyTo(u);
            s0.Slice(n + start, len).CopyTo(i);
            if (TPools.Two) s0.Slice(2 * n + start, len).CopyTo(h);
        }
        else
        {
            u.Fill(c.Initial);
            i.Clear();
            h.Clear();
        }
        var lm = new Vector<float>(c.MembraneDecay);
        var complement = new Vector<float>(c.Complement);
        var ls = new Vector<float>(c.SynapseDecay);
        var li = new Vector<float>(c.InhibitoryDecay);
        for (int t = from; t < to; t++)
        {
            if (v.Boundaries is { } b && (t - from) % v.Chunk == 0)
            {
                int k = (t / v.Chunk) * rows * n + start;
                u[..len].CopyTo(b.Slice(k, len));
                i[..len].CopyTo(b.Slice(k + n, len));
                if (TPools.Two) h[..len].CopyTo(b.Slice(k + 2 * n, len));
            }
            int row = (t - from) * n + start, input = (v.StaticInput ? 0 : (t - 1) * n) + start;
            Span<float> xs = t == 0 ? default : v.Input.Slice(input, len);
            Span<float> xh = t == 0 || !TPools.Two ? default : v.Inhibitory!.Value.Slice(input, len);
            Span<float> so = v.Spikes is { } sp ? sp.Slice(t * n + start, len) : default;
            Span<float> uo = v.Membrane is { } m ? m.Slice(row, len) : default, dout = v.Drive is { } dr ? dr.Slice(row, len) : default;
            for (int j = 0; j < len; j += w)
            {
                var uv = new Vector<float>(u[j..]);
                var iv = new Vector<float>(i[j..]);
                Vector<float> s = c.Fire(uv);
                Vector<float> drive = iv;
                if (TPools.Two)
                {
                    var hv = new Vector<float>(h[j..]);
                    drive = iv - hv;
                    (hv * li + (t == 0 ? Vector<float>.Zero : HostLanes.Load(xh, j))).CopyTo(h[j..]);
                }
                Vector<float> xv = t == 0 ? Vector<float>.Zero : HostLanes.Load(xs, j);
                Vector<float> next = uv * lm + drive * complement;
                if (c.Reset) next *= Vector<float>.One - s;
                (iv * ls + xv).CopyTo(i[j..]);
                next.CopyTo(u[j..]);
                if (!so.IsEmpty) HostLanes.Store(s, so, j);
                if (!uo.IsEmpty) HostLanes.Store(next, uo, j);
                if (!dout.IsEmpty) HostLanes.Store(drive, dout, j);
            }
        }
    }

    /// <summary>Backward over all steps from the saved membranes (and drives).</summary>
    private static Tensor Backward(Tensor membrane, Tensor? drive, Tensor? gradSpikes, Tensor? gradMembrane, Constants c, Surrogate surrogate)
    {
        int steps = (int)membrane.shape[0], n = (int)(membrane.numel() / steps);
        var (gx, gh) = GradInputs(membrane.shape, c);
        Tensor? gs = gradSpikes?.to(ScalarType.Float32).contiguous(), gu = gradMembrane?.to(ScalarType.Float32).contiguous();
        var rows = new Rows(new FloatView(membrane), drive is null ? null : new FloatView(drive), gs is null ? null : new FloatView(gs),
                            gu is null ? null : new FloatView(gu), new FloatView(gx), gh is null ? null : new FloatView(gh), null, null, steps);
        BackSweep(rows, 0, steps, n, c, surrogate);
        GC.KeepAlive(gs);
        GC.KeepAlive(gu);
        return gh is null ? gx : cat([gx, gh], 2);
    }

    /// <summary>
    /// Backward with time checkpointing: per chunk, last first, the chunk's membranes and drives are recomputed from its
    /// start state in <paramref name="boundaries"/>, and (A, C_k) carry over to the previous chunk.
    /// </summary>
    private static Tensor CheckpointBackward(Tensor boundaries, Tensor currents, Tensor? gradSpikes, Constants c, Surrogate surrogate, int chunk)
    {
        bool constant = currents.shape[0] > 1 && currents.stride(0) == 0;
        long[] shape = Shape(currents, c);
        Tensor[] x = Pools(currents, c.TwoPools, constant);
        int steps = (int)shape[0], n = (int)(shape.Aggregate(1L, (a, b) => a * b) / steps);
        var (gx, gh) = GradInputs(shape, c);
        Tensor? gs = gradSpikes?.to(ScalarType.Float32).contiguous();
        Tensor u = empty([chunk, n], ScalarType.Float32), carry = zeros([c.TwoPools ? 3 : 2, n], ScalarType.Float32);
        Tensor? d = c.NeedsDrive ? empty([chunk, n], ScalarType.Float32) : null;
        for (int k = (steps - 1) / chunk; k >= 0; k--)
        {
            int from = k * chunk, to = Math.Min(steps, from + chunk);
            Tensor start = boundaries.select(0, k);
            var recompute = new ForwardViews(new FloatView(x[0]), c.TwoPools ? new FloatView(x[1]) : null, constant, null, new FloatView(u),
                                             d is null ? null : new FloatView(d), null, 0, new FloatView(start));
            Sweep(recompute, from, to, n, c);
            var rows = new Rows(new FloatView(u), d is null ? null : new FloatView(d), gs is null ? null : new FloatView(gs), null,
                                new FloatView(gx), gh is null ? null : new FloatView(gh), new FloatView(start), new FloatView(carry), steps);
            BackSweep(rows, from, to, n, c, surrogate);
        }
        GC.KeepAlive(x);                                                                        // the views above point into these
        GC.KeepAlive(gs);
        GC.KeepAlive(u);
        GC.KeepAlive(d);
        GC.KeepAlive(carry);
        return gh is null ? gx : cat([gx, gh], 2);
    }

    private static (Tensor Excitatory, Tensor? Inhibitory) GradInputs(long[] shape, Constants c) =>
        (empty(shape, ScalarType.Float32), c.TwoPools ? empty(shape, ScalarType.Float32) : null);

    private static void BackSweep(Rows rows, int from, int to, int n, Constants c, Surrogate surrogate)
    {
        if (c.TwoPools) HostKernel.ForChunks(n, to - from, (start, end) => BackwardChunk<TwoPools>(rows, from, to, n, start, end, c, surrogate));
        else HostKernel.ForChunks(n, to - from, (start, end) => BackwardChunk<OnePool>(rows, from, to, n, start, end, c, surrogate));
    }

    /// <summary>
    /// The tensors of a backward pass: membranes U_{t+1} and drives D_t (rows relative to the first step), output gradients
    /// and the pools' input gradients (absolute rows), the state at the first step (rows U, I, H; null: the initial state),
    /// the carried (A, C_k) (rows of n; null: zero at the last step and not kept), and the number of steps of the sequence.
    /// </summary>
    private readonly record struct Rows(FloatView Membrane, FloatView? Drive, FloatView? GradSpikes, FloatView? GradMembrane, FloatView GradInput,
                                        FloatView? GradInhibitory, FloatView? Start, FloatView? Carry, int Steps);

    /// <summary>Neurons [start, end), t = to−1 … from; A, the C_k and the slope row on the stack.</summary>
    private static void BackwardChunk<TPools>(Rows rows, int from, int to, int n, int start, int end, Constants c, Surrogate surrogate)
        where TPools : struct, IPools
    {
        int len = end - start, w = Vector<float>.Count, padded = HostKernel.Chunk + Vector<float>.Count;
        Span<float> a = stackalloc float[padded];
        Span<float> ci = stackalloc float[padded];
        Span<float> ch = stackalloc float[TPools.Two ? padded : 0];
        Span<float> slope = stackalloc float[padded];
        Span<float> initial = stackalloc float[padded];
        if (rows.Carry is { } carried)
        {
            carried.Slice(start, len).CopyTo(a);
            carried.Slice(n + start, len).CopyTo(ci);
            if (TPools.Two) carried.Slice(2 * n + start, len).CopyTo(ch);
        }
        else
        {
            a.Clear();
            ci.Clear();
            ch.Clear();
        }
        slope.Clear();
        if (rows.Start is { } first) first.Slice(start, len).CopyTo(initial);
        else initial.Fill(c.Initial);
        var lm = new Vector<float>(c.MembraneDecay);
        var complement = new Vector<float>(c.Complement);
        var ls = new Vector<float>(c.SynapseDecay);
        var li = new Vector<float>(c.InhibitoryDecay);
        if (to == rows.Steps)
            for (int t = Math.Max(rows.Steps - 2, 0); t < rows.Steps; t++)
            {
                rows.GradInput.Slice(t * n + start, len).Clear();
                if (TPools.Two) rows.GradInhibitory!.Value.Slice(t * n + start, len).Clear();
            }
        bool throughReset = c.NeedsDrive;
        for (int t = to - 1; t >= from; t--)
        {
            int row = t * n + start, local = (t - from) * n + start;
            ReadOnlySpan<float> u = t == from ? initial[..len] : rows.Membrane.Slice(local - n, len);
            if (c.Reset) HostLanes.Slope(u, slope, c.Theta, surrogate);
            Span<float> gm = rows.GradMembrane is { } g1 ? g1.Slice(row, len) : default;
            Span<float> gs = c.Reset && rows.GradSpikes is { } g2 ? g2.Slice(row, len) : default;
            Span<float> drive = throughReset ? rows.Drive!.Value.Slice(local, len) : default;
            Span<float> gx = t >= 2 ? rows.GradInput.Slice(row - 2 * n, len) : default;
            Span<float> gh = t >= 2 && TPools.Two ? rows.GradInhibitory!.Value.Slice(row - 2 * n, len) : default;
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
                    if (throughReset) gradS -= total * (uv * lm + HostLanes.Load(drive, j) * complement);
                    gradU += gradS * new Vector<float>(slope[j..]);
                }
                Vector<float> gradDrive = total * keep * complement;
                Vector<float> gradI = new Vector<float>(ci[j..]) * ls + gradDrive;
                gradU.CopyTo(a[j..]);
                gradI.CopyTo(ci[j..]);
                if (!gx.IsEmpty) HostLanes.Store(gradI, gx, j);
                if (TPools.Two)
                {
                    Vector<float> gradH = new Vector<float>(ch[j..]) * li - gradDrive;
                    gradH.CopyTo(ch[j..]);
                    if (!gh.IsEmpty) HostLanes.Store(gradH, gh, j);
                }
            }
        }
        if (rows.Carry is { } kept)
        {
            a[..len].CopyTo(kept.Slice(start, len));
            ci[..len].CopyTo(kept.Slice(n + start, len));
            if (TPools.Two) ch[..len].CopyTo(kept.Slice(2 * n + start, len));
        }
    }

    /// <summary>The autograd node: inputs (currents, constants, surrogate, membrane output?, time chunk), outputs [spikes(, membranes)].</summary>
    private sealed class FusedCubaFunction : MultiTensorFunction<FusedCubaFunction>
    {
        public override string Name => "SpikeInitFusedCuba";

        public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            var c = (Constants)vars[1];
            bool membraneOutput = (bool)vars[3];
            int chunk = membraneOutput ? 0 : SequenceCheckpoint.Steps((int)vars[4], (int)x.shape[0]);
            ctx.save_data("constants", c);
            ctx.save_data("surrogate", vars[2]);
            ctx.save_data("membrane", membraneOutput);
            ctx.save_data("chunk", chunk);
            if (chunk > 0)
            {
                var (checkpointSpikes, _, _, boundaries) = Forward(x, c, keepMembrane: false, keepDrive: false, chunk);
                ctx.save_for_backward([boundaries!, x]);
                return [checkpointSpikes];
            }
            var (spikes, u, d, _) = Forward(x, c, keepMembrane: true, keepDrive: c.NeedsDrive);
            ctx.save_for_backward(d is null ? [u!] : [u!, d]);
            return membraneOutput ? [spikes, u!] : [spikes];
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads)
        {
            List<Tensor> saved = ctx.get_saved_variables();
            var c = (Constants)ctx.get_data("constants");
            var surrogate = (Surrogate)ctx.get_data("surrogate");
            bool membraneOutput = (bool)ctx.get_data("membrane");
            int chunk = (int)ctx.get_data("chunk");
            Tensor? gu = membraneOutput && grads.Count > 1 && Defined(grads[1]) ? grads[1] : null;
            Tensor? gs = Defined(grads[0]) ? grads[0] : null;
            Tensor gx = chunk > 0 ? CheckpointBackward(saved[0], saved[1], gs, c, surrogate, chunk)
                                  : Backward(saved[0], saved.Count > 1 ? saved[1] : null, gs, gu, c, surrogate);
            return [gx, null!, null!, null!, null!];
        }

        private static bool Defined(Tensor? t) => t is not null && t.Handle != IntPtr.Zero && t.numel() > 0;
    }
}
