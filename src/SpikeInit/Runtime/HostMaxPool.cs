using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Runtime;

/// <summary>
/// 2-D max pooling (k × k windows, stride s, no padding, floor mode) of a float32 CPU <c>[N, C, H, W]</c> tensor as one
/// host pass over the planes, in parallel; backward routes each output's gradient to its window's maximum, kept as one
/// byte per output (its position in the window) instead of libtorch's eight-byte flat index. The maximum is libtorch's:
/// the first in row-major window order that is larger than all before it (or NaN), so values, gradients and ties (on
/// spikes: windows of several ones, or all zeros) match <c>max_pool2d</c> exactly. Anything else takes <c>max_pool2d</c>.
/// </summary>
internal static class HostMaxPool
{
    /// <summary>Whether the host pass applies (windows of at most 15 × 15, so a position fits a byte).</summary>
    public static bool Supports(Tensor x, long kernel, long stride) =>
        x.dim() == 4 && x.dtype == ScalarType.Float32 && x.device_type == TorchSharp.DeviceType.CPU && kernel is >= 1 and <= 15 && stride >= 1
        && x.shape[2] >= kernel && x.shape[3] >= kernel && x.numel() <= int.MaxValue;

    /// <summary><c>max_pool2d(x, kernel, stride)</c>, differentiable in x.</summary>
    public static Tensor Apply(Tensor x, long kernel, long stride)
    {
        if (!Supports(x, kernel, stride)) return nn.functional.max_pool2d(x, kernel, stride);
        if (is_grad_enabled() && x.requires_grad) return MaxPoolFunction.apply(x, (int)kernel, (int)stride)[0];
        using (no_grad()) return Forward(x, (int)kernel, (int)stride, keepWhere: false).Output;
    }

    private static (Tensor Output, Tensor? Where) Forward(Tensor input, int k, int s, bool keepWhere)
    {
        Tensor x = input.detach().contiguous();
        int planes = (int)(x.shape[0] * x.shape[1]), h = (int)x.shape[2], w = (int)x.shape[3], oh = (h - k) / s + 1, ow = (w - k) / s + 1;
        Tensor y = empty([x.shape[0], x.shape[1], oh, ow], ScalarType.Float32);
        Tensor? where = keepWhere ? empty([x.shape[0], x.shape[1], oh, ow], ScalarType.Byte) : null;
        var (xv, yv) = (new FloatView(x), new FloatView(y));
        ByteView? wv = where is null ? null : new ByteView(where);
        HostKernel.ForBands(planes, Bands(planes, h * w), (first, end) =>
        {
            for (int p = first; p < end; p++)
                PoolPlane(xv.Slice(p * h * w, h * w), yv.Slice(p * oh * ow, oh * ow), wv is { } v ? v.Slice(p * oh * ow, oh * ow) : default, w, oh, ow, k, s);
        });
        GC.KeepAlive(x);
        return (y, where);
    }

    private static int Bands(int planes, int planeSize) => (long)planes * planeSize < HostKernel.SerialWork ? 1 : 4 * get_num_threads();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PoolPlane(ReadOnlySpan<float> plane, Span<float> output, Span<byte> positions, int w, int oh, int ow, int k, int s)
    {
        bool keep = !positions.IsEmpty;
        fixed (float* x = plane, y = output)
        fixed (byte* where = positions)
        {
            if (Paired(k, s, ow))
            {
                for (int i = 0; i < oh; i++) PoolRow2(x + i * 2 * w, w, y + i * ow, keep ? where + i * ow : null, ow);
                return;
            }
            for (int i = 0; i < oh; i++)
            {
                float* row = x + i * s * w;
                for (int j = 0; j < ow; j++)
                {
                    float* origin = row + j * s;
                    int best = 0;
                    float max = float.NegativeInfinity;
                    for (int r = 0; r < k; r++)
                        for (int q = 0; q < k; q++)
                        {
                            float v = origin[r * w + q];
                            if (v > max || float.IsNaN(v)) (max, best) = (v, r * k + q);
                        }
                    y[i * ow + j] = max;
                    if (keep) where[i * ow + j] = (byte)best;
                }
            }
        }
    }

    /// <summary>Whether the 2 × 2, stride-2 vector path applies (rows of at least 8 outputs).</summary>
    private static bool Paired(int k, int s, int ow) => k == 2 && s == 2 && ow >= 8 && Vector256.IsHardwareAccelerated;

    private static readonly Vector256<int> Evens = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6), Odds = Vector256.Create(1, 3, 5, 7, 1, 3, 5, 7);

    /// <summary>
    /// One output row of a 2 × 2, stride-2 pool, eight outputs at a time (the last eight overlap the ones before when the
    /// row is not a multiple of eight: recomputed, same values): the window's values a, b (top), c, d as vectors, and
    /// libtorch's selection by masks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void PoolRow2(float* top, int w, float* y, byte* where, int ow)
    {
        for (int j0 = 0; j0 < ow; j0 += 8)
        {
            int j = Math.Min(j0, ow - 8);
            float* o = top + 2 * j;
            Vector256<float> p0 = Vector256.Load(o), p1 = Vector256.Load(o + 8), q0 = Vector256.Load(o + w), q1 = Vector256.Load(o + w + 8);
            Vector256<float> max = Pick(p0, p1, Evens);
            Vector256<int> best = Vector256<int>.Zero;
            Take(ref max, ref best, Pick(p0, p1, Odds), 1);
            Take(ref max, ref best, Pick(q0, q1, Evens), 2);
            Take(ref max, ref best, Pick(q0, q1, Odds), 3);
            max.Store(y + j);
            if (where is null) continue;
            Vector128<sbyte> bytes = Vector128.Narrow(Vector128.Narrow(best.GetLower(), best.GetUpper()), Vector128<short>.Zero);   // positions 0–3
            *(long*)(where + j) = bytes.AsInt64().ToScalar();
        }
    }

    /// <summary>The lanes <paramref name="lanes"/> (four of each half's eight) of p0 then of p1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pick(Vector256<float> p0, Vector256<float> p1, Vector256<int> lanes) =>
        Vector256.Create(Vector256.Shuffle(p0, lanes).GetLower(), Vector256.Shuffle(p1, lanes).GetLower());

    /// <summary>max, best = v, position in the lanes where v &gt; max or v is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector256<float> max, ref Vector256<int> best, Vector256<float> v, int position)
    {
        Vector256<float> take = Vector256.GreaterThan(v, max) | ~Vector256.Equals(v, v);
        max = Vector256.ConditionalSelect(take, v, max);
        best = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(position), best);
    }

    private static Tensor Backward(Tensor gradOutput, Tensor where, long[] inputShape, int k, int s)
    {
        Tensor g = gradOutput.to(ScalarType.Float32).contiguous();
        int planes = (int)(inputShape[0] * inputShape[1]), h = (int)inputShape[2], w = (int)inputShape[3], oh = (int)where.shape[2], ow = (int)where.shape[3];
        // With k = s the windows tile the plane: each window is written whole (its gradient at the maximum, zeros
        // elsewhere) and only the floor mode's leftover rows and columns are cleared, instead of a zero fill and a scatter.
        bool tiled = k == s;
        Tensor gx = tiled ? empty(inputShape, ScalarType.Float32) : zeros(inputShape, ScalarType.Float32);
        var (gv, xv, wv) = (new FloatView(g), new FloatView(gx), new ByteView(where));
        HostKernel.ForBands(planes, Bands(planes, h * w), (first, end) =>
        {
            for (int p = first; p < end; p++)
            {
                Span<float> target = xv.Slice(p * h * w, h * w);
                ReadOnlySpan<float> source = gv.Slice(p * oh * ow, oh * ow);
                ReadOnlySpan<byte> at = wv.Slice(p * oh * ow, oh * ow);
                if (tiled)
                {
                    if (oh * s < h) target[(oh * s * w)..].Clear();
                    for (int r = 0; r < oh * s && ow * s < w; r++) target.Slice(r * w + ow * s, w - ow * s).Clear();
                }
                if (Paired(k, s, ow))
                {
                    for (int i = 0; i < oh; i++) BackRow2(source.Slice(i * ow, ow), at.Slice(i * ow, ow), target.Slice(i * 2 * w, 2 * w), w);
                    continue;
                }
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        int o = i * ow + j, origin = i * s * w + j * s, position = at[o];
                        if (tiled)
                            for (int r = 0; r < k; r++) target.Slice(origin + r * w, k).Clear();
                        target[origin + position / k * w + position % k] += source[o];
                    }
            }
        });
        GC.KeepAlive(g);
        GC.KeepAlive(where);
        return gx;
    }

    private static readonly Vector256<int> Interleave = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);

    /// <summary>
    /// One output row's windows of a 2 × 2, stride-2 pool written whole, eight at a time: each window gets the output's
    /// gradient (its bits) at the position of its maximum and +0 elsewhere.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void BackRow2(ReadOnlySpan<float> gradient, ReadOnlySpan<byte> positions, Span<float> rows, int w)
    {
        int ow = gradient.Length;
        fixed (float* g = gradient, top = rows)
        fixed (byte* at = positions)
            for (int j0 = 0; j0 < ow; j0 += 8)
            {
                int j = Math.Min(j0, ow - 8);
                Vector128<ushort> narrow = Vector128.WidenLower(Vector128.CreateScalar(*(long*)(at + j)).AsByte());
                Vector256<int> best = Vector256.Create(Vector128.WidenLower(narrow), Vector128.WidenUpper(narrow)).AsInt32();
                Vector256<float> value = Vector256.Load(g + j);
                Vector256<float> a = value & Vector256.Equals(best, Vector256<int>.Zero).AsSingle(), b = value & Vector256.Equals(best, Vector256.Create(1)).AsSingle();
                Vector256<float> c = value & Vector256.Equals(best, Vector256.Create(2)).AsSingle(), d = value & Vector256.Equals(best, Vector256.Create(3)).AsSingle();
                float* o = top + 2 * j;
                Vector256.Shuffle(Vector256.Create(a.GetLower(), b.GetLower()), Interleave).Store(o);
                Vector256.Shuffle(Vector256.Create(a.GetUpper(), b.GetUpper()), Interleave).Store(o + 8);
                Vector256.Shuffle(Vector256.Create(c.GetLower(), d.GetLower()), Interleave).Store(o + w);
                Vector256.Shuffle(Vector256.Create(c.GetUpper(), d.GetUpper()), Interleave).Store(o + w + 8);
            }
    }

    /// <summary>The autograd node: inputs (x, kernel, stride), output [pooled].</summary>
    private sealed class MaxPoolFunction : MultiTensorFunction<MaxPoolFunction>
    {
        public override string Name => "SpikeInitMaxPool";

        public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
        {
            var x = (Tensor)vars[0];
            int k = (int)vars[1], s = (int)vars[2];
            var (y, where) = Forward(x, k, s, keepWhere: true);
            ctx.save_for_backward([where!]);
            ctx.save_data("shape", x.shape);
            ctx.save_data("k", k);
            ctx.save_data("s", s);
            return [y];
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads) =>
            [Backward(grads[0], ctx.get_saved_variables()[0], (long[])ctx.get_data("shape"), (int)ctx.get_data("k"), (int)ctx.get_data("s")), null!, null!];
    }
}
