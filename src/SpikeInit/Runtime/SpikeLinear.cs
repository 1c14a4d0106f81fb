using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace SpikeInit.Runtime;

/// <summary>
/// <c>x·Wᵀ + b</c> that is event-driven when x holds spikes: for a float32 CPU input whose entries are all 0 or 1 with at
/// most <see cref="MaxDensity"/> ones, and a product of at least <see cref="MinWork"/> multiply-adds, the forward current
/// adds only the weight columns of the inputs that spiked, and backward the weight gradient adds only the
/// output-gradient rows of the samples in which an input spiked (<see cref="SpikeMatmul"/>); the input gradient
/// <c>G·W</c> is dense. Any other input (dense values, too many spikes, a small product, another device or type) takes
/// the dense path, <see cref="DenseLinear"/> (SpikeInit's own kernel, or <c>nn.functional.linear</c> where that does not
/// apply). On spikes both paths give the same float32 sums (bias plus the selected weights in increasing input order), so
/// the rule changes the speed only; the state saved for backward on the event-driven path is the spikes' index (4 bytes
/// per spike) instead of the input.
/// <para>
/// Every spike product of SpikeInit's layers goes through here (or, inside the fused recurrent kernel, through
/// <see cref="ProductRows"/>), so a step loop and a fused kernel sum alike.
/// </para>
/// </summary>
public static class SpikeLinear
{
    /// <summary>
    /// The largest fraction of ones for which the event-driven path is used: above it, its additions at cache speed no
    /// longer beat the own dense kernel's multiply-adds (crossover measured by `bench --spikes`, docs/PERFORMANCE.md
    /// "Own dense kernel"; 0.4 against libtorch's GEMM before).
    /// </summary>
    public const double MaxDensity = 0.25;

    /// <summary>The smallest product (rows × in × out multiply-adds) for which the event-driven path is used: below it the fixed costs (packing, threads) dominate.</summary>
    public const long MinWork = 1L << 22;

    /// <summary>
    /// <c>input·weightᵀ + bias</c> for <paramref name="input"/> <c>[rows, in]</c>, event-driven when it holds sparse
    /// spikes. <paramref name="maxDensity"/> and <paramref name="minWork"/> replace the rule's thresholds (for measuring
    /// the crossover; the layers use the defaults, so that step loops and fused kernels sum alike).
    /// </summary>
    public static Tensor Apply(Tensor input, Tensor weight, Tensor? bias, double maxDensity = MaxDensity, long minWork = MinWork)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (Index(input, weight, bias, maxDensity, minWork) is not { } spikes) return DenseLinear.Apply(input, weight, bias);
        bool weightGrad = is_grad_enabled() && (weight.requires_grad || bias?.requires_grad == true);
        bool inputGrad = is_grad_enabled() && input.requires_grad;
        if (!weightGrad && !inputGrad)
            using (no_grad()) return Forward(spikes, weight, bias);
        return SpikeLinearFunction.apply(input, weight, bias ?? empty(0), spikes, inputGrad)[0];
    }

    /// <summary>The spike index of a 2-D input that qualifies, or null.</summary>
    private static SpikeRows? Index(Tensor input, Tensor weight, Tensor? bias, double maxDensity, long minWork)
    {
        if (input.dim() != 2 || weight.dim() != 2 || input.shape[1] != weight.shape[1]) return null;
        if (!HostFloat(input) || !HostFloat(weight) || (bias is not null && !HostFloat(bias))) return null;
        if (input.numel() > int.MaxValue || weight.numel() > int.MaxValue || input.shape[0] * weight.shape[0] > int.MaxValue) return null;
        if (input.numel() * weight.shape[0] < minWork) return null;                  // before any copy
        Tensor x = input.is_contiguous() ? input : input.contiguous();
        SpikeRows? index = TryIndex(new FloatView(x), (int)x.shape[0], (int)x.shape[1], (int)weight.shape[0], maxDensity, minWork);
        GC.KeepAlive(x);
        return index;
    }

    /// <summary>
    /// The index of the spikes <paramref name="input"/> (<c>[rows, inputs]</c>) when their product with a
    /// <c>[outs, inputs]</c> matrix takes the event-driven path; null when it takes the GEMM.
    /// </summary>
    internal static SpikeRows? TryIndex(FloatView input, int rows, int inputs, int outs, double maxDensity = MaxDensity, long minWork = MinWork) =>
        rows > 0 && (long)rows * inputs * outs >= minWork ? SpikeRows.TryIndex(input, rows, inputs, maxDensity) : null;

    /// <summary>
    /// <paramref name="output"/> <c>[rows, outs]</c> = S·Wᵀ for binary spikes S (<c>[rows, inputs]</c>) and Wᵀ packed by
    /// <see cref="PackTransposed"/>, on the calling thread with the own kernels (<see cref="DenseMatmul.Available"/>):
    /// event-driven from <paramref name="index"/> (a <see cref="SpikeRows.Scratch"/> refilled here) when at most
    /// <see cref="MaxDensity"/> of S is 1, else dense — the same float32 sums either way, and the same as
    /// <see cref="Apply"/>'s on either of its paths.
    /// </summary>
    internal static void ProductRows(FloatView spikes, int rows, int inputs, FloatView packedWt, FloatView output, int outs, SpikeRows index)
    {
        index.Load(spikes, rows);
        if (index.Ones <= MaxDensity * rows * inputs) SpikeMatmul.Forward(index, packedWt, null, output, outs, serial: true);
        else DenseMatmul.Rows(spikes, 0, inputs, rows, inputs, packedWt, outs, output, 0, outs);
    }

    private static bool HostFloat(Tensor t) => t.dtype == ScalarType.Float32 && t.device_type == TorchSharp.DeviceType.CPU;

    /// <summary>
    /// The weights <paramref name="w"/> <c>[outs, n]</c> (or a bias <c>[outs]</c>) transposed and packed by tile of output
    /// columns as <see cref="SpikeMatmul"/> and <see cref="DenseMatmul"/> read them: <c>[tiles, n, Tile]</c>
    /// (<c>[tiles·Tile]</c>), zero past <c>outs</c>.
    /// </summary>
    internal static Tensor PackTransposed(Tensor w)
    {
        if (w.dim() == 1)
        {
            int pad = SpikeMatmul.Tiles((int)w.shape[0]) * SpikeMatmul.Tile - (int)w.shape[0];
            return (pad == 0 ? w : nn.functional.pad(w, [0, pad])).contiguous();
        }
        return Pack(w, transposed: true);
    }

    /// <summary>The rows of <paramref name="a"/> <c>[n, outs]</c> packed by tile of columns: <c>[tiles, n, Tile]</c>, zero past <c>outs</c>.</summary>
    internal static Tensor PackColumns(Tensor a) => Pack(a, transposed: false);

    /// <summary>
    /// <c>packed[t, k, o] = m[t·Tile + o, k]</c> (<paramref name="transposed"/>) or <c>m[k, t·Tile + o]</c>, zero past the
    /// last column, from a float32 CPU matrix; one host pass, in parallel over tiles.
    /// </summary>
    private static unsafe Tensor Pack(Tensor m, bool transposed)
    {
        const int Tile = SpikeMatmul.Tile;
        Tensor source = m.contiguous();
        int rows = (int)m.shape[0], cols = (int)m.shape[1], outs = transposed ? rows : cols, depth = transposed ? cols : rows, tiles = SpikeMatmul.Tiles(outs);
        Tensor packed = empty([tiles, depth, Tile], ScalarType.Float32);
        var (from, to) = (new FloatView(source), new FloatView(packed));
        bool serial = (long)rows * cols < HostKernel.SerialWork;
        if (!transposed)
        {
            // row by row (a sequential read), each row's segments to their tiles
            HostKernel.ForBands(depth, serial ? 1 : 4 * get_num_threads(), (first, end) =>
            {
                for (int k = first; k < end; k++)
                    for (int t = 0; t < tiles; t++)
                    {
                        int width = Math.Min(Tile, outs - t * Tile);
                        var target = new Span<float>(to.Pointer + ((long)t * depth + k) * Tile, Tile);
                        new Span<float>(from.Pointer + (long)k * cols + t * Tile, width).CopyTo(target);
                        target[width..].Clear();
                    }
            });
            GC.KeepAlive(source);
            return packed;
        }
        HostKernel.ForBands(tiles, serial ? 1 : tiles, (first, end) =>
        {
            for (int t = first; t < end; t++)
            {
                int o0 = t * Tile, width = Math.Min(Tile, outs - o0);
                float* block = to.Pointer + (long)t * depth * Tile;
                if (width < Tile) new Span<float>(block, depth * Tile).Clear();
                for (int k0 = 0; k0 < depth; k0 += 128)                // 128 rows of the block (32 KiB) stay in L1 while filled
                    for (int o = 0, k1 = Math.Min(depth, k0 + 128); o < width; o++)
                    {
                        float* row = from.Pointer + (long)(o0 + o) * cols;
                        for (int k = k0; k < k1; k++) block[k * Tile + o] = row[k];
                    }
            }
        });
        GC.KeepAlive(source);
        return packed;
    }

    /// <summary>The forward current from the index (no graph).</summary>
    private static Tensor Forward(SpikeRows spikes, Tensor weight, Tensor? bias)
    {
        int outs = (int)weight.shape[0];
        if (spikes.Ones == 0)                                   // a silent input: the bias alone, nothing to pack
            return bias is null ? zeros([spikes.Rows, outs], ScalarType.Float32) : bias.detach().expand(spikes.Rows, outs).contiguous();
        using var scope = NewDisposeScope();
        Tensor packed = PackTransposed(weight.detach());
        Tensor? b = bias is null ? null : PackTransposed(bias.detach());
        Tensor y = empty([spikes.Rows, outs], ScalarType.Float32);
        SpikeMatmul.Forward(spikes, new FloatView(packed), b is null ? null : new FloatView(b), new FloatView(y), outs);
        GC.KeepAlive(packed);
        GC.KeepAlive(b);
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ∂L/∂W <c>[out, in]</c> = Gᵀ·S for the output gradient <paramref name="g"/> <c>[rows, out]</c> and the spikes
    /// <paramref name="spikes"/> <c>[rows, in]</c> (a transposed view of a contiguous <c>[in, out]</c> tensor).
    /// </summary>
    internal static Tensor WeightGradient(SpikeRows spikes, Tensor g)
    {
        int outs = (int)g.shape[1];
        if (spikes.Ones == 0) return zeros([outs, spikes.Cols], ScalarType.Float32);
        using var scope = NewDisposeScope();
        Tensor gwt = empty([spikes.Cols, outs], ScalarType.Float32);
        bool pack = outs % SpikeMatmul.Tile != 0;
        Tensor source = pack ? PackColumns(g) : g.contiguous();
        SpikeMatmul.WeightGradientTransposed(spikes, new FloatView(source), pack, new FloatView(gwt), outs);
        GC.KeepAlive(source);
        return gwt.t().MoveToOuterDisposeScope();
    }

    /// <summary>The autograd node: inputs (input, weight, bias or empty, index, input gradient needed?), output [current].</summary>
    private sealed class SpikeLinearFunction : MultiTensorFunction<SpikeLinearFunction>
    {
        public override string Name => "SpikeInitSpikeLinear";

        public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
        {
            var weight = (Tensor)vars[1];
            var bias = (Tensor)vars[2];
            var spikes = (SpikeRows)vars[3];
            ctx.save_data("spikes", spikes);
            ctx.save_data("inputGrad", (bool)vars[4]);
            ctx.save_data("bias", bias.numel() > 0);
            ctx.save_for_backward([weight]);
            return [Forward(spikes, weight, bias.numel() > 0 ? bias : null)];
        }

        public override List<Tensor> backward(AutogradContext ctx, List<Tensor> grads)
        {
            Tensor weight = ctx.get_saved_variables()[0];
            var spikes = (SpikeRows)ctx.get_data("spikes");
            Tensor g = grads[0];
            Tensor? gx = (bool)ctx.get_data("inputGrad") ? DenseMatmul.Times(g, weight) : null;
            Tensor? gb = (bool)ctx.get_data("bias") ? g.sum([0]) : null;
            return [gx!, WeightGradient(spikes, g), gb!, null!, null!];
        }
    }
}
