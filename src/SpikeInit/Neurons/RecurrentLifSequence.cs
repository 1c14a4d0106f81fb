using System.Numerics;
using System.Runtime.CompilerServices;
using SpikeInit.Runtime;
using SpikeInit.Surrogates;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Neurons;

/// <summary>
/// The fused form of a recurrent LIF layer, <see cref="Lif.Step"/> with the current <c>I_t = x_t + s_{t−1}·Wᵀ</c>, as one
/// autograd function over all T steps. The recurrence needs one product per step; everything around it is fused: the
/// input projection x of all steps arrives as one tensor (one product in the block), spikes and membranes are written
/// into preallocated tensors, and the charge, fire and reset of each step are one host pass. Samples are independent
/// through the recurrence, so with SpikeInit's own kernels (<see cref="DenseMatmul"/>) each band of samples runs all of
/// its steps on one thread: its rows of s_{t−1}·Wᵀ (<see cref="SpikeLinear.ProductRows"/>: event-driven or dense, the
/// same float32 sums either way), then its host pass, with no hand-off between steps. Backward through time likewise:
/// its rows of ∂L/∂s_t += ∂L/∂I_{t+1}·W on the dense kernel, the LIF recurrence of <see cref="LifSequence"/>, and
/// ∂L/∂W = Σ_t ∂L/∂I_{t+1}ᵀ·s_t (per band, event-driven, when the width is a multiple of a tile; else over all T at
/// once). Without the own kernels (a CPU without AVX2 and FMA) each step takes libtorch's GEMM for the whole batch.
/// Parity-tested against the step loop: forward bit for bit, gradients to float32 rounding.
/// Time checkpointing (<see cref="SequenceCheckpoint"/>): with a chunk of C steps, forward keeps the membrane only at the
/// last step of every chunk (the state the next chunk starts from) instead of U (and I) at every step, and backward
/// recomputes one chunk's membranes and total currents from that state, the saved spikes and the currents (the same
/// products and host passes, so the same values), runs the chunk's steps backward, and moves to the previous chunk.
/// </summary>
public static class RecurrentLifSequence
{
    /// <summary>Whether the fused kernel applies: float32 CPU currents <c>[T, B, N]</c>, a <c>[N, N]</c> matrix, a Heaviside forward.</summary>
    public static bool Supports(Tensor currents, Tensor weight, LifParameters p)
    {
        ArgumentNullException.ThrowIfNull(currents);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(p);
        return LifSequence.Supports(currents, p) && currents.dim() == 3 && weight.dim() == 2 && weight.dtype == ScalarType.Float32
               && weight.device_type == TorchSharp.DeviceType.CPU && weight.shape[0] == currents.shape[2] && weight.shape[1] == currents.shape[2];
    }

    /// <summary>
    /// Runs the layer over the feed-forward currents <c>[T, B, N]</c> with recurrent matrix <paramref name="weight"/>
    /// (<c>[N, N]</c>, the recurrent current is <c>s_{t−1}·Wᵀ</c>) from the zero state. Returns spikes and, when
    /// <paramref name="membrane"/> is set, the membranes. Differentiable in the currents and the matrix;
    /// <paramref name="timeChunk"/> (<see cref="Neuron.TimeChunk"/>; not with recorded membranes) checkpoints the recurrence for backward.
    /// </summary>
    public static (Tensor Spikes, Tensor? Membrane) Run(Tensor currents, Tensor weight, LifParameters p, Surrogate surrogate, bool membrane, int timeChunk = 0)
    {
        ArgumentNullException.ThrowIfNull(surrogate);
        if (!Supports(currents, weight, p)) throw new ArgumentException("the fused recurrent LIF kernel needs float32 CPU currents [T, B, N], a [N, N] matrix and a Heaviside forward", nameof(currents));
        if (is_grad_enabled() && (currents.requires_grad || weight.requires_grad))
        {
            List<Tensor> outputs = FusedRecurrentFunction.apply(currents, weight, p, surrogate, membrane, timeChunk);
            return (outputs[0], membrane ? outputs[1] : null);
        }
        using (no_grad())
        {
            var (spikes, u, _) = Forward(currents, weight, p, keepTotal: false);
            return (spikes, membrane ? u : null);
        }
    }

    /// <summary>A pass of the recurrence at step t over the flat neuron range [start, end).</summary>
    private delegate void StepRange(int step, int start, int end);

    /// <summary>Whether backward needs the total currents I_t (the reset's gradient path of <see cref="LifReset.ZeroAfterInput"/>).</summary>
    private static bool NeedsTotal(LifParameters p) => p.Reset == LifReset.ZeroAfterInput && !p.Spike.DetachReset;

    /// <summary>
    /// The forward pass over the currents' rows; with a start state (<paramref name="startMembrane"/>,
    /// <paramref name="startSpikes"/>, each <c>[B, N]</c>) row 0 is that state (its current is not read) and the steps run from row 1.
    /// </summary>
    private static (Tensor Spikes, Tensor Membrane, Tensor? Total) Forward(Tensor currents, Tensor weight, LifParameters p, bool keepTotal,
                                                                           Tensor? startMembrane = null, Tensor? startSpikes = null)
    {
        Tensor x = currents.contiguous();
        long[] shape = currents.shape;
        int steps = (int)shape[0], batch = (int)shape[1], units = (int)shape[2], n = batch * units, first = startMembrane is null ? 0 : 1;
        Tensor spikes = empty(shape, ScalarType.Float32), u = empty(shape, ScalarType.Float32);
        Tensor? total = keepTotal ? empty(shape, ScalarType.Float32) : null;
        using Tensor recurrent = zeros(batch, units), packed = SpikeLinear.PackTransposed(weight.detach());
        if (startMembrane is not null && startSpikes is not null)
        {
            u[0].copy_(startMembrane);
            spikes[0].copy_(startSpikes);
        }
        var body = new ForwardBody(new FloatView(x), new FloatView(spikes), new FloatView(u), total is null ? null : new FloatView(total),
                                   new FloatView(recurrent), n, new LifSequence.Coefficients(p));
        StepRange range = LifCharge.Dispatch(p.Reset, body);
        FloatView spikeView = new(spikes), packedView = new(packed), recurrentView = new(recurrent);
        if (OwnKernel(units))
        {
            // Each band of samples runs all of its steps on one thread; s_{t−1}·Wᵀ is SpikeLinear's exact spike product
            // (event-driven or dense, the same float32 sums either way, and the same as the step loop's).
            HostKernel.ForBands(batch, Bands(batch, n, steps), (b0, b1) =>
            {
                int rows = b1 - b0;
                var index = SpikeRows.Scratch(rows, units);
                for (int t = first; t < steps; t++)
                {
                    if (t > 0)
                        SpikeLinear.ProductRows(spikeView.Window((long)(t - 1) * n + b0 * units, rows * units), rows, units, packedView,
                                                recurrentView.Window(b0 * units, rows * units), units, index);
                    range(t, b0 * units, b1 * units);
                }
            });
        }
        else
        {
            // As SpikeLinear computes it without the own kernel: event-driven when the spikes are sparse, else libtorch's GEMM,
            // which reads s_{t−1} from its own buffer (sgemm's summation order depends on the operand's alignment, and the
            // step loop multiplies freshly allocated, aligned spike tensors).
            using Tensor latest = zeros(batch, units), transposed = weight.detach().t();
            for (int t = first; t < steps; t++)
            {
                if (t > 0)
                {
                    using (Tensor previous = spikes.select(0, t - 1)) latest.copy_(previous);
                    if (SpikeLinear.TryIndex(new FloatView(latest), batch, units, units) is { } index) SpikeMatmul.Forward(index, packedView, null, recurrentView, units);
                    else recurrent.addmm_(latest, transposed, 0, 1);
                }
                HostKernel.ForChunks(n, 1, (start, end) => range(t, start, end));
            }
        }
        GC.KeepAlive(x);
        GC.KeepAlive(packed);
        return (spikes, u, total);
    }

    /// <summary>Whether the recurrence runs by bands of samples on the own kernels (<see cref="DenseMatmul"/>).</summary>
    private static bool OwnKernel(int units) => DenseMatmul.Available && units <= DenseMatmul.MaxDepth;

    /// <summary>Bands of samples: one per thread, one when the problem is small.</summary>
    private static int Bands(int batch, int n, int steps) => (long)n * steps >= HostKernel.SerialWork ? Math.Clamp(get_num_threads(), 1, batch) : 1;

    /// <summary>One forward step over a range of neurons: I = x_t + s_{t−1}·Wᵀ, then charge and fire.</summary>
    private sealed class ForwardBody(FloatView x, FloatView spikes, FloatView membrane, FloatView? total, FloatView recurrent, int n, LifSequence.Coefficients c)
        : ILifChargeUser<StepRange>
    {
        public StepRange Use<TCharge>() where TCharge : struct, ILifCharge => Range<TCharge>;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Range<TCharge>(int t, int start, int end) where TCharge : struct, ILifCharge
        {
            int row = t * n + start, len = end - start, w = Vector<float>.Count;
            Span<float> xs = x.Slice(row, len), rs = recurrent.Slice(start, len), so = spikes.Slice(row, len), uo = membrane.Slice(row, len);
            Span<float> up = t > 0 ? membrane.Slice(row - n, len) : default, sp = t > 0 ? spikes.Slice(row - n, len) : default;
            Span<float> io = total is { } tt ? tt.Slice(row, len) : default;
            var beta = new Vector<float>(c.Beta);
            var theta = new Vector<float>(c.Theta);
            var gain = new Vector<float>(c.Gain);
            for (int j = 0; j < len; j += w)
            {
                Vector<float> current = HostLanes.Load(xs, j) + HostLanes.Load(rs, j);
                if (!io.IsEmpty) HostLanes.Store(current, io, j);
                if (c.Scaled) current *= gain;
                Vector<float> previous = t > 0 ? HostLanes.Load(up, j) : Vector<float>.Zero, before = t > 0 ? HostLanes.Load(sp, j) : Vector<float>.Zero;
                Vector<float> uv = TCharge.Charge(previous, before, current, beta, theta);
                HostLanes.Store(uv, uo, j);
                Vector<float> fired = c.Fire(uv);
                HostLanes.Store(fired, so, j);
            }
        }
    }

    /// <summary>
    /// Backward over all steps from the saved membranes (and total currents), or, with a <paramref name="checkpoint"/>
    /// (the currents, the membranes at the last step of every chunk but the last, the chunk length), chunk by chunk from
    /// membranes recomputed by <see cref="Forward"/>.
    /// </summary>
    private static (Tensor GradCurrents, Tensor GradWeight) Backward(Tensor spikes, Tensor? membrane, Tensor? total, Tensor weight, Tensor? gradSpikes,
                                                                     Tensor? gradMembrane, LifParameters p, Surrogate surrogate,
                                                                     (Tensor Currents, Tensor Boundaries, int Chunk)? checkpoint = null)
    {
        long[] shape = spikes.shape;
        int steps = (int)shape[0], batch = (int)shape[1], units = (int)shape[2], n = batch * units;
        Tensor gx = empty(shape, ScalarType.Float32);
        Tensor? gs = gradSpikes?.to(ScalarType.Float32).contiguous(), gu = gradMembrane?.to(ScalarType.Float32).contiguous();
        using Tensor recurrent = zeros(shape[1], shape[2]), w = weight.detach();
        var body = new BackwardBody(gs is null ? null : new FloatView(gs), gu is null ? null : new FloatView(gu), new FloatView(gx), new FloatView(recurrent),
                                    n, steps, new LifSequence.Coefficients(p), surrogate);
        StepRange range = LifCharge.Dispatch(p.Reset, body);
        // Samples are independent through the recurrence: with the own dense kernel, each band of batch rows runs all of
        // its steps on one thread with no hand-off between steps: its rows of ∂L/∂I_{t+1}·W, its host pass, and (when the
        // width is a multiple of a tile) its samples' term of ∂L/∂Wᵀ = Σ_t s_{t−1}ᵀ·∂L/∂I_t, added event-driven into the
        // band's own sum while its ∂L/∂I_t is in cache. One band per thread, summed in band order: deterministic.
        bool own = OwnKernel(units);
        int bands = own ? Bands(batch, n, steps) : 1;
        bool bandGradient = own && units % SpikeMatmul.Tile == 0;
        using Tensor packed = own ? SpikeLinear.PackColumns(w) : empty(0), sums = bandGradient ? zeros(bands, units, units) : empty(0);
        FloatView gradView = new(gx), packedView = new(packed), recurrentView = new(recurrent), spikeView = new(spikes), sumView = new(sums);
        void StepsBack(int from, int to)
        {
            if (!own)
            {
                for (int t = to - 1; t >= from; t--)
                {
                    if (t < steps - 1)
                        using (Tensor next = gx.select(0, t + 1))
                            recurrent.addmm_(next, w, 0, 1);
                    HostKernel.ForChunks(n, 1, (start, end) => range(t, start, end));
                }
                return;
            }
            HostKernel.ForBands(batch, bands, (b0, b1) =>
            {
                int rows = b1 - b0, band = (int)(((long)b0 * bands + batch - 1) / batch);      // ForBands' b0 = ⌊band·batch/bands⌋
                SpikeRows? index = bandGradient ? SpikeRows.Scratch(rows, units) : null;
                for (int t = to - 1; t >= from; t--)
                {
                    if (t < steps - 1)
                        DenseMatmul.Rows(gradView, (long)(t + 1) * n + b0 * units, units, rows, units, packedView, units, recurrentView, b0 * units, units);
                    range(t, b0 * units, b1 * units);
                    if (index is null || t == 0) continue;
                    index.Load(spikeView.Window((long)(t - 1) * n + b0 * units, rows * units), rows);
                    SpikeMatmul.AccumulateTransposed(index, gradView.Window((long)t * n + b0 * units, rows * units), sumView.Window((long)band * units * units, units * units), units);
                }
            });
        }
        if (checkpoint is not { } c)
        {
            body.Use(new FloatView(membrane!), total is null ? null : new FloatView(total), 0);
            StepsBack(0, steps);
        }
        else
            for (int k = (steps - 1) / c.Chunk; k >= 0; k--)
            {
                // the chunk's membranes from the state before it (row 0 when k > 0) through the step after it (its total current)
                int from = k * c.Chunk, to = Math.Min(steps, from + c.Chunk), end = Math.Min(steps, to + 1), offset = Math.Max(from - 1, 0);
                var (_, u, i) = k == 0 ? Forward(c.Currents.narrow(0, 0, end), weight, p, NeedsTotal(p))
                    : Forward(c.Currents.narrow(0, offset, end - offset), weight, p, NeedsTotal(p), c.Boundaries[k - 1], spikes[offset]);
                body.Use(new FloatView(u), i is null ? null : new FloatView(i), offset);
                StepsBack(from, to);
                GC.KeepAlive(u);
                GC.KeepAlive(i);
            }
        GC.KeepAlive(packed);
        GC.KeepAlive(spikes);
        Tensor gw = bandGradient ? sums.sum([0]).t().contiguous()
                  : steps > 1 ? RecurrentWeightGradient(gx.narrow(0, 1, steps - 1).reshape(-1, shape[2]), spikes.narrow(0, 0, steps - 1).reshape(-1, shape[2]))
                  : zeros_like(weight);
        GC.KeepAlive(gs);
        GC.KeepAlive(gu);
        return (gx, gw);
    }

    /// <summary>
    /// One backward step over a range of neurons, with A = ∂L/∂u_{t+1} kept between steps and R = ∂L/∂I_{t+1}·W (the
    /// recurrent gradient of s_t, computed by the step's GEMM):
    /// <code>
    /// B_t = ∂L/∂s_t (external) + R + A·∂u_{t+1}/∂s_t      (the reset path; dropped when the reset is detached)
    /// A_t = ∂L/∂u_t (external) + A·∂u_{t+1}/∂u_t + B_t·h'(u_t − θ)
    /// ∂L/∂I_t = g·A_t (·(1 − s_{t−1}) for a reset after the input)
    /// </code>
    /// </summary>
    private sealed class BackwardBody(FloatView? gradSpikes, FloatView? gradMembrane, FloatView gradInput,
                                      FloatView recurrent, int n, int steps, LifSequence.Coefficients c, Surrogate surrogate) : ILifChargeUser<StepRange>
    {
        private readonly float[] a = new float[n];
        private readonly float[] slope = new float[n];
        private FloatView membrane;
        private FloatView? total;
        private int offset;

        /// <summary>Reads membranes and total currents from <paramref name="u"/> and <paramref name="i"/>, whose row 0 is step <paramref name="first"/>.</summary>
        public void Use(FloatView u, FloatView? i, int first)
        {
            membrane = u;
            total = i;
            offset = first;
        }

        public StepRange Use<TCharge>() where TCharge : struct, ILifCharge => Range<TCharge>;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Range<TCharge>(int t, int start, int end) where TCharge : struct, ILifCharge
        {
            int row = t * n + start, local = (t - offset) * n + start, len = end - start, w = Vector<float>.Count;
            bool last = t == steps - 1, throughReset = !c.Detach && !last;
            Span<float> u = membrane.Slice(local, len), gx = gradInput.Slice(row, len), rs = recurrent.Slice(start, len);
            Span<float> gs = gradSpikes is { } g1 ? g1.Slice(row, len) : default, gu = gradMembrane is { } g2 ? g2.Slice(row, len) : default;
            Span<float> up = TCharge.AfterInput && t > 0 ? membrane.Slice(local - n, len) : default;
            Span<float> xn = TCharge.AfterInput && throughReset ? total!.Value.Slice(local + n, len) : default;
            Span<float> ar = a.AsSpan(start, len), sl = slope.AsSpan(start, len);     // a range's own lanes: bands run concurrently
            HostLanes.Slope(u, sl, c.Theta, surrogate);                     // h'(u_t − θ) of the range
            var beta = new Vector<float>(c.Beta);
            var theta = new Vector<float>(c.Theta);
            var gain = new Vector<float>(c.Gain);
            for (int j = 0; j < len; j += w)
            {
                Vector<float> uv = HostLanes.Load(u, j);
                Vector<float> s = c.Fire(uv);
                Vector<float> next = last ? Vector<float>.Zero : HostLanes.Load(ar, j);
                Vector<float> gradS = gs.IsEmpty ? Vector<float>.Zero : HostLanes.Load(gs, j);
                if (!last) gradS += HostLanes.Load(rs, j);
                if (throughReset)
                {
                    Vector<float> xNext = TCharge.AfterInput ? HostLanes.Load(xn, j) * gain : Vector<float>.Zero;
                    gradS += next * TCharge.DuDs(uv, xNext, beta, theta);
                }
                Vector<float> gradU = next * TCharge.DuDu(s, beta) + gradS * HostLanes.Load(sl, j);
                if (!gu.IsEmpty) gradU += HostLanes.Load(gu, j);
                HostLanes.Store(gradU, ar, j);
                Vector<float> gi = gradU * gain;
                if (TCharge.AfterInput && t > 0) gi *= Vector<float>.One - c.Fire(HostLanes.Load(up, j));
                HostLanes.Store(gi, gx, j);
            }
        }
    }

    /// <summary>∂L/∂W = Σ_t ∂L/∂I_{t+1}ᵀ·s_t over all steps at once (<paramref name="g"/> and <paramref name="spikes"/> <c>[(T − 1)·B, N]</c>): event-driven when the spikes are sparse.</summary>
    private static Tensor RecurrentWeightGradient(Tensor g, Tensor spikes)
    {
        int rows = (int)spikes.shape[0], units = (int)spikes.shape[1];
        SpikeRows? index = SpikeLinear.TryIndex(new FloatView(spikes), rows, units, units);
        GC.KeepAlive(spikes);
        return index is null ? g.t().mm(spikes) : SpikeLinear.WeightGradient(index, g);
    }

    /// <summary>The autograd node: inputs (currents, matrix, parameters, surrogate, membrane output?, time chunk), outputs [spikes(, membranes)].</summary>
    private sealed class FusedRecurrentFunction : MultiTensorFunction<FusedRecurrentFunction>
    {
        public override string Name => "SpikeInitFusedRecurrentLif";

        public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            var weight = (Tensor)vars[1];
            var p = (LifParameters)vars[2];
            bool membraneOutput = (bool)vars[4];
            int chunk = membraneOutput ? 0 : SequenceCheckpoint.Steps((int)vars[5], (int)x.shape[0]);
            ctx.save_data("chunk", chunk);
            if (chunk > 0)
            {
                var (checkpointSpikes, all, _) = Forward(x, weight, p, keepTotal: false);
                long[] ends = [.. Enumerable.Range(1, (int)((x.shape[0] - 1) / chunk)).Select(k => (long)k * chunk - 1)];
                using (all)
                using (Tensor rows = tensor(ends))
                    ctx.save_for_backward([checkpointSpikes, weight, x, all.index_select(0, rows)]);
                ctx.save_data("p", p);
                ctx.save_data("surrogate", vars[3]);
                ctx.save_data("membrane", false);
                return [checkpointSpikes];
            }
            var (spikes, u, total) = Forward(x, weight, p, NeedsTotal(p));
            ctx.save_for_backward(total is null ? [spikes, u, weight] : [spikes, u, weight, total]);
            ctx.save_data("p", p);
            ctx.save_data("surrogate", vars[3]);
            ctx.save_data("membrane", membraneOutput);
            return membraneOutput ? [spikes, u] : [spikes];
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads)
        {
            List<Tensor> saved = ctx.get_saved_variables();
            var p = (LifParameters)ctx.get_data("p");
            var surrogate = (Surrogate)ctx.get_data("surrogate");
            bool membraneOutput = (bool)ctx.get_data("membrane");
            Tensor? gu = membraneOutput && grads.Count > 1 && Defined(grads[1]) ? grads[1] : null;
            Tensor? gs = Defined(grads[0]) ? grads[0] : null;
            int chunk = (int)ctx.get_data("chunk");
            var (gx, gw) = chunk > 0
                ? Backward(saved[0], null, null, saved[1], gs, gu, p, surrogate, (saved[2], saved[3], chunk))
                : Backward(saved[0], saved[1], saved.Count > 3 ? saved[3] : null, saved[2], gs, gu, p, surrogate);
            return [gx, gw, null!, null!, null!, null!];
        }

        private static bool Defined(Tensor? t) => t is not null && t.Handle != IntPtr.Zero && t.numel() > 0;
    }
}
