using SpikeInit.Runtime;

namespace SpikeInit.Tests;

/// <summary>
/// The host max pool (<see cref="HostMaxPool"/>) against libtorch's <c>max_pool2d</c>: values and input gradients equal
/// bit for bit, on spikes (ties everywhere), on values with NaN and −∞, on sizes that leave floor-mode leftovers, on rows
/// shorter than a vector, on overlapping and wide windows, and the inputs it leaves to libtorch.
/// </summary>
public class HostMaxPoolTests
{
    private static void CheckExact(Tensor input, long kernel, long stride)
    {
        using var g = new Generator(3);
        Tensor upstream = randn(nn.functional.max_pool2d(input, kernel, stride).shape, generator: g);
        (Tensor Y, Tensor Grad) Run(Func<Tensor, Tensor> pool)
        {
            Tensor x = input.detach().requires_grad_(true);
            Tensor y = pool(x);
            y.backward([upstream]);
            return (y.detach(), x.grad!);
        }
        var own = Run(x => HostMaxPool.Apply(x, kernel, stride));
        var reference = Run(x => nn.functional.max_pool2d(x, kernel, stride));
        string shape = string.Join("x", input.shape);
        Assert.True(own.Y.isclose(reference.Y, 0, 0, true).all().item<bool>(), $"{shape} k{kernel} s{stride}: values differ");
        Assert.True(own.Grad.eq(reference.Grad).all().item<bool>(), $"{shape} k{kernel} s{stride}: gradients differ by {(own.Grad - reference.Grad).abs().max().item<float>()}");
        using (no_grad())
            Assert.True(HostMaxPool.Apply(input, kernel, stride).isclose(reference.Y, 0, 0, true).all().item<bool>(), "without a graph: values differ");
    }

    [Theory]
    [InlineData(6, 4, 28, 28, 2, 2)]    // W3's first pool: rows of 14 (a vector of 8 and an overlapping one)
    [InlineData(6, 4, 14, 14, 2, 2)]    // W3's second pool: rows of 7, shorter than a vector
    [InlineData(3, 2, 29, 35, 2, 2)]    // floor mode leaves a row and a column
    [InlineData(3, 2, 16, 16, 3, 2)]    // overlapping windows: gradients add up
    [InlineData(3, 2, 17, 19, 3, 3)]
    [InlineData(2, 1, 15, 15, 15, 1)]   // the widest window a byte's position allows
    public void Spikes_pool_and_route_their_gradients_as_max_pool2d_does(int n, int c, int h, int w, int kernel, int stride)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator((ulong)(h * w + kernel));
        CheckExact(rand([n, c, h, w], generator: g).lt(0.2).to(ScalarType.Float32), kernel, stride);   // ties: several ones, or none
        CheckExact(rand([n, c, h, w], generator: g).lt(0.9).to(ScalarType.Float32), kernel, stride);
    }

    [Fact]
    public void Values_with_NaN_infinities_and_ties_pool_as_max_pool2d_does()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(4);
        Tensor x = randn([4, 3, 28, 30], generator: g).round();          // integer values: many ties
        x[0, 0, 0, 1] = tensor(float.NaN);
        x[1, 2, 5, 5] = tensor(float.NegativeInfinity);
        x[1, 2, 5, 4] = tensor(float.NegativeInfinity);
        x[1, 2, 4, 4] = tensor(float.NegativeInfinity);
        x[1, 2, 4, 5] = tensor(float.NegativeInfinity);                 // a window of −∞ only
        x[2, 1, 10, 10] = tensor(float.PositiveInfinity);
        CheckExact(x, 2, 2);
        CheckExact(x, 3, 2);
    }

    [Fact]
    public void Inputs_it_does_not_take_go_to_libtorch()
    {
        using var scope = NewDisposeScope();
        Tensor x64 = randn([2, 3, 8, 8], ScalarType.Float64), x3 = randn([3, 8, 8]);
        Assert.False(HostMaxPool.Supports(x64, 2, 2));
        Assert.False(HostMaxPool.Supports(x3, 2, 2));
        Assert.False(HostMaxPool.Supports(randn([1, 1, 20, 20]), 16, 1));
        Assert.True(HostMaxPool.Apply(x64, 2, 2).eq(nn.functional.max_pool2d(x64, 2, 2)).all().item<bool>());
    }
}
