using SpikeInit.Runtime;

namespace SpikeInit.Tests;

/// <summary>
/// SpikeInit's own dense kernel (<see cref="DenseMatmul"/>) and the linear map on it (<see cref="DenseLinear"/>): every
/// output is bias + Σ_k a_k·b_k by fused multiply-adds in increasing k, checked bit for bit against that loop on both
/// vector widths and ragged sizes; against libtorch's <c>mm</c>/<c>linear</c> (values and the three gradients) to float32
/// rounding; on spikes, equal bit for bit to the event-driven product; and the fallbacks that must take libtorch.
/// </summary>
public class DenseMatmulTests
{
    /// <summary>bias + Σ_j x[r, j]·W[o, j] by float32 fused multiply-adds in increasing j: the kernel's definition.</summary>
    public static Tensor SequentialSums(Tensor x, Tensor w, Tensor? b)
    {
        int rows = (int)x.shape[0], inputs = (int)x.shape[1], outs = (int)w.shape[0];
        float[] xs = x.contiguous().data<float>().ToArray(), ws = w.contiguous().data<float>().ToArray(), bs = b?.data<float>().ToArray() ?? new float[outs];
        var y = new float[rows * outs];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outs; o++)
            {
                float acc = bs[o];
                for (int j = 0; j < inputs; j++) acc = MathF.FusedMultiplyAdd(xs[r * inputs + j], ws[o * inputs + j], acc);
                y[r * outs + o] = acc;
            }
        return tensor(y, [rows, outs]);
    }

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        double scale = Math.Max(expected.abs().max().item<float>(), 1);
        double error = (actual - expected).abs().max().item<float>();
        Assert.True(error <= 2e-5 * scale, $"{what} differs by {error} (scale {scale})");
    }

    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(5, 29, 63, true)]       // a row group of 4 and a single row; one ragged tile
    [InlineData(37, 300, 130, false)]   // two full tiles and a ragged one; no bias
    [InlineData(8, 64, 64, true)]
    public unsafe void Each_output_is_the_sequential_fused_sum_on_both_vector_widths(int rows, int inputs, int outs, bool useBias)
    {
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64) return;   // the kernel is x64's
        Assert.True(DenseMatmul.Available, "an x64 machine without AVX2 and FMA: the own kernel is off");
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)(rows + inputs + outs));
        Tensor x = randn([rows, inputs], generator: g), w = randn([outs, inputs], generator: g), b = randn([outs], generator: g);
        Tensor expected = SequentialSums(x, w, useBias ? b : null);
        Tensor packed = SpikeLinear.PackTransposed(w), packedBias = SpikeLinear.PackTransposed(b);
        foreach (bool wide in System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? new[] { true, false } : [false])
        {
            Tensor y = full([rows, outs], float.NaN);
            DenseMatmul.Rows(new FloatView(x).Pointer, inputs, rows, inputs, new FloatView(packed).Pointer, useBias ? new FloatView(packedBias).Pointer : null,
                             outs, new FloatView(y).Pointer, outs, wide);
            Assert.True(y.eq(expected).all().item<bool>(), $"{(wide ? 512 : 256)}-bit path differs from the sequential sum by {(y - expected).abs().max().item<float>()}");
        }
    }

    [Theory]
    [InlineData(128, 256, 256)]     // W5's recurrent step
    [InlineData(384, 600, 600)]     // W2's hidden layer
    [InlineData(3000, 70, 90)]      // many rows: several bands per tile
    public void Times_matches_libtorch_mm(int rows, int k, int n)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(7);
        Tensor a = randn([rows, k], generator: g), b = randn([k, n], generator: g);
        AssertClose(DenseMatmul.Times(a, b), a.mm(b), $"{rows}x{k}x{n}");
        AssertClose(DenseMatmul.Times(a.t().contiguous().t(), b), a.mm(b), "a transposed view");
    }

    [Theory]
    [InlineData(200, 784, 600, true)]    // W2's first layer
    [InlineData(2100, 33, 65, false)]    // more rows than a block: ∂W = Gᵀ·x in two blocks
    public void Dense_linear_matches_linear_in_values_and_gradients(int rows, int inputs, int outs, bool useBias)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)rows);
        Tensor x0 = randn([rows, inputs], generator: g), w0 = randn([outs, inputs], generator: g).div(Math.Sqrt(inputs)), b0 = randn([outs], generator: g);
        Tensor upstream = randn([rows, outs], generator: g);
        (Tensor Y, Tensor Gx, Tensor Gw, Tensor? Gb) Run(Func<Tensor, Tensor, Tensor?, Tensor> linear)
        {
            Tensor x = x0.detach().requires_grad_(true), w = w0.detach().requires_grad_(true), b = b0.detach().requires_grad_(true);
            Tensor y = linear(x, w, useBias ? b : null);
            y.mul(upstream).sum().backward();
            return (y.detach(), x.grad!, w.grad!, useBias ? b.grad! : null);
        }
        var own = Run(DenseLinear.Apply);
        var reference = Run((x, w, b) => nn.functional.linear(x, w, b));
        AssertClose(own.Y, reference.Y, "values");
        AssertClose(own.Gx, reference.Gx, "input gradient");
        AssertClose(own.Gw, reference.Gw, "weight gradient");
        if (useBias) AssertClose(own.Gb!, reference.Gb!, "bias gradient");
    }

    [Fact]
    public void On_spikes_the_dense_and_event_driven_products_are_the_same_float32_sums()
    {
        // The density rule only changes the speed: both paths add the selected weights to the bias in increasing input order.
        using var scope = NewDisposeScope();
        using var g = new Generator(12);
        Tensor x = rand([300, 500], generator: g).lt(0.2).to(ScalarType.Float32), w = randn([130, 500], generator: g), b = randn([130], generator: g);
        using var noGrad = no_grad();
        Tensor eventDriven = SpikeLinear.Apply(x, w, b, maxDensity: 1, minWork: 0), dense = SpikeLinear.Apply(x, w, b, maxDensity: 0, minWork: 0);
        Assert.True(eventDriven.eq(dense).all().item<bool>(), $"paths differ by {(eventDriven - dense).abs().max().item<float>()}");
    }

    [Fact]
    public void Products_the_kernel_does_not_take_are_libtorchs()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(13);
        Tensor x = randn([20, DenseMatmul.MaxDepth + 1], generator: g), w = randn([10, DenseMatmul.MaxDepth + 1], generator: g);
        Assert.False(DenseLinear.Supports(x, w, null));
        Assert.True(DenseLinear.Apply(x, w, null).eq(nn.functional.linear(x, w)).all().item<bool>(), "too deep: not linear's result");
        Tensor x64 = randn([20, 30], ScalarType.Float64, generator: g), w64 = randn([10, 30], ScalarType.Float64, generator: g);
        Assert.True(DenseLinear.Apply(x64, w64, null).eq(nn.functional.linear(x64, w64)).all().item<bool>(), "float64: not linear's result");
        Tensor a = randn([5, 7], ScalarType.Float64, generator: g), b = randn([7, 3], ScalarType.Float64, generator: g);
        Assert.True(DenseMatmul.Times(a, b).eq(a.mm(b)).all().item<bool>(), "float64: not mm's result");
    }

    [Fact]
    public void A_product_deeper_than_a_block_continues_the_same_sequential_sums()
    {
        // k = 2·MaxDepth + 37: three blocks, each adding to what the one before left (ragged tile: the scratch path too).
        if (!DenseMatmul.Available) return;
        using var scope = NewDisposeScope();
        using var g = new Generator(15);
        int k = 2 * DenseMatmul.MaxDepth + 37;
        Tensor a = randn([6, k], generator: g), b = randn([k, 70], generator: g);
        Tensor product = DenseMatmul.Times(a, b);
        Assert.True(product.eq(SequentialSums(a, b.t(), null)).all().item<bool>(), $"differs from the sequential sum by {(product - SequentialSums(a, b.t(), null)).abs().max().item<float>()}");
        AssertClose(product, a.mm(b), "against mm");
    }

    [Theory]
    [InlineData(70, 130)]     // a ragged tile
    [InlineData(128, 64)]
    [InlineData(3, 1000)]     // more than one block of 128 rows while transposing
    public void Packing_lays_out_tiles_of_64_columns_padded_with_zeros(int rows, int cols)
    {
        using var scope = NewDisposeScope();
        Tensor m = arange(rows * cols, ScalarType.Float32).reshape(rows, cols);
        int tile = SpikeMatmul.Tile;
        foreach (bool transposed in new[] { false, true })
        {
            Tensor packed = transposed ? SpikeLinear.PackTransposed(m) : SpikeLinear.PackColumns(m);
            Tensor source = transposed ? m.t() : m;                           // [depth, outs]
            long depth = source.shape[0], outs = source.shape[1], tiles = (outs + tile - 1) / tile;
            Tensor expected = nn.functional.pad(source, [0, tiles * tile - outs]).reshape(depth, tiles, tile).permute(1, 0, 2);
            Assert.True(packed.eq(expected).all().item<bool>(), $"{(transposed ? "PackTransposed" : "PackColumns")} of [{rows}, {cols}] misplaces values");
        }
    }

    [Fact]
    public void The_per_band_spike_product_takes_either_path_with_the_same_sums()
    {
        // ProductRows (the recurrent kernel's per-step product): event-driven below MaxDensity, dense above; both equal Apply's.
        using var scope = NewDisposeScope();
        using var g = new Generator(14);
        Tensor w = randn([130, 200], generator: g), packed = SpikeLinear.PackTransposed(w);
        var index = SpikeRows.Scratch(40, 200);
        foreach (double density in new[] { 0.05, 0.6 })
        {
            Tensor x = rand([40, 200], generator: g).lt(density).to(ScalarType.Float32), y = empty([40, 130]);
            SpikeLinear.ProductRows(new FloatView(x), 40, 200, new FloatView(packed), new FloatView(y), 130, index);
            using var noGrad = no_grad();
            if (DenseMatmul.Available)                                          // else Apply's dense path is libtorch's
                Assert.True(y.eq(SpikeLinear.Apply(x, w, null)).all().item<bool>(), $"density {density}: per-band product differs from Apply's");
            Assert.True(y.eq(SequentialSums(x, w, null)).all().item<bool>(), $"density {density}: not the sequential sum");
        }
    }
}
