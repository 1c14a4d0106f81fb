using SpikeInit.Runtime;

namespace SpikeInit.Tests;

/// <summary>
/// The event-driven spike product (<see cref="SpikeLinear"/>) against <c>nn.functional.linear</c>: forward values and
/// the gradients of input, weight and bias to float32 summation order, on ragged tile widths, empty rows, no bias,
/// non-contiguous inputs; and the fallbacks (dense values, too many spikes, small products, float64) that must take
/// the dense path: the own kernel's exact sum (float32) or libtorch's GEMM (float64).
/// </summary>
public class SpikeLinearTests
{
    private static (Tensor X, Tensor W, Tensor B) Draw(int rows, int inputs, int outs, double density, int seed)
    {
        using var g = new Generator((ulong)seed);
        Tensor x = rand([rows, inputs], generator: g).lt(density).to(ScalarType.Float32);
        Tensor w = randn([outs, inputs], generator: g).mul(1.0 / Math.Sqrt(inputs));
        Tensor b = randn([outs], generator: g);
        return (x, w, b);
    }

    private static void AssertClose(Tensor actual, Tensor expected, string what)
    {
        double scale = Math.Max(expected.abs().max().item<float>(), 1);
        double error = (actual - expected).abs().max().item<float>();
        Assert.True(error <= 2e-5 * scale, $"{what} differs by {error} (scale {scale})");
    }

    [Theory]
    [InlineData(320, 1000, 1000, 0.16, true)]   // W1's shape
    [InlineData(384, 600, 600, 0.05, true)]     // W2's
    [InlineData(384, 600, 600, 0.0, true)]      // a silent layer (W2's layers 1–10 at init): the bias alone
    [InlineData(384, 600, 600, 0.0, false)]     // silent, no bias: zeros
    [InlineData(700, 257, 65, 0.1, true)]       // ragged last tile, odd input width
    [InlineData(1000, 130, 70, 0.2, false)]     // no bias, two ragged tiles
    [InlineData(66000, 64, 1, 0.02, true)]      // one output, many rows (several bands)
    [InlineData(2000, 300, 192, 0.1, true)]     // whole tiles: the weight gradient reads G in place, unpacked
    public void Event_driven_product_matches_the_GEMM_in_values_and_gradients(int rows, int inputs, int outs, double density, bool useBias)
    {
        using var scope = NewDisposeScope();
        var (x0, w0, b0) = Draw(rows, inputs, outs, density, rows + outs);
        x0[0] = zeros(inputs);                                                         // a row without spikes
        Tensor gy;
        using (var g = new Generator(7)) gy = randn([rows, outs], generator: g);

        (Tensor Y, Tensor Gx, Tensor Gw, Tensor? Gb) Evaluate(Func<Tensor, Tensor, Tensor?, Tensor> f)
        {
            Tensor x = x0.detach().requires_grad_(true), w = w0.detach().requires_grad_(true);
            Tensor? b = useBias ? b0.detach().requires_grad_(true) : null;
            Tensor y = f(x, w, b);
            y.backward([gy]);
            return (y.detach(), x.grad!.detach(), w.grad!.detach(), b?.grad!.detach());
        }

        Assert.True((long)rows * inputs * outs >= SpikeLinear.MinWork, "the shape must take the event-driven path");
        var events = Evaluate((x, w, b) => SpikeLinear.Apply(x, w, b));
        var gemm = Evaluate((x, w, b) => nn.functional.linear(x, w, b));
        AssertClose(events.Y, gemm.Y, "forward current");
        AssertClose(events.Gx, gemm.Gx, "input gradient");
        AssertClose(events.Gw, gemm.Gw, "weight gradient");
        if (useBias) AssertClose(events.Gb!, gemm.Gb!, "bias gradient");
        using (no_grad()) AssertClose(SpikeLinear.Apply(x0, w0, useBias ? b0 : null), gemm.Y, "forward without a graph");
    }

    [Fact]
    public void The_event_driven_path_sums_each_output_in_float32_in_increasing_input_order()
    {
        // The event-driven result is exactly bias + Σ_j W[o, j] over the spiking inputs j in increasing order, in float32:
        // checked bit for bit against that loop (a GEMM would differ in the last bits for some outputs).
        using var scope = NewDisposeScope();
        var (x, w, b) = Draw(300, 200, 150, 0.15, 11);
        using var noGrad = no_grad();
        Tensor x2 = x.contiguous();
        SpikeRows? index = SpikeLinear.TryIndex(new FloatView(x2), 300, 200, 150);
        Assert.NotNull(index);
        float[] xs = x.data<float>().ToArray(), ws = w.data<float>().ToArray(), bs = b.data<float>().ToArray();
        float[] y = SpikeLinear.Apply(x, w, b).data<float>().ToArray();
        int mismatches = 0;
        for (int r = 0; r < 300; r++)
            for (int o = 0; o < 150; o++)
            {
                float acc = bs[o];
                for (int j = 0; j < 200; j++)
                    if (xs[r * 200 + j] == 1) acc += ws[o * 200 + j];
                if (acc != y[r * 150 + o]) mismatches++;
            }
        Assert.Equal(0, mismatches);
    }

    [Theory]
    [InlineData("dense values")]
    [InlineData("too many spikes")]
    [InlineData("small product")]
    [InlineData("float64")]
    [InlineData("spikes of 2")]
    public void Inputs_that_do_not_qualify_take_the_dense_path_exactly(string kind)
    {
        using var scope = NewDisposeScope();
        var (x, w, b) = Draw(512, 256, 128, 0.1, 3);
        switch (kind)
        {
            case "dense values": x = x.add(randn_like(x).mul(0.01)); break;
            case "too many spikes": x = Draw(512, 256, 128, 0.6, 4).X; break;
            case "small product": (x, w, b) = Draw(16, 32, 8, 0.1, 5); break;
            case "float64": (x, w, b) = (x.to(ScalarType.Float64), w.to(ScalarType.Float64), b.to(ScalarType.Float64)); break;
            case "spikes of 2": x[3, 4] = tensor(2f); break;
        }
        using var noGrad = no_grad();
        if (x.dtype == ScalarType.Float32)
        {
            Tensor xc = x.contiguous();
            Assert.Null(SpikeLinear.TryIndex(new FloatView(xc), (int)x.shape[0], (int)x.shape[1], (int)w.shape[0]));
        }
        Tensor expected = x.dtype == ScalarType.Float32 && DenseMatmul.Available ? DenseMatmulTests.SequentialSums(x, w, b) : nn.functional.linear(x, w, b);
        Assert.True(SpikeLinear.Apply(x, w, b).eq(expected).all().item<bool>(), $"{kind}: not the dense path's result");
    }

    [Fact]
    public void A_transposed_view_of_spikes_gives_the_same_product()
    {
        using var scope = NewDisposeScope();
        var (x, w, b) = Draw(600, 300, 100, 0.1, 9);
        using var noGrad = no_grad();
        Tensor view = x.t().contiguous().t();                                          // same values, column-major
        Assert.False(view.is_contiguous());
        Assert.True(SpikeLinear.Apply(view, w, b).eq(SpikeLinear.Apply(x, w, b)).all().item<bool>());
    }
}
