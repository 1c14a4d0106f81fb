using static SpikeInit.TensorArithmetic;

namespace SpikeInit.Tests;

/// <summary>
/// <see cref="TensorArithmetic"/> computes exactly what TorchSharp's operators compute (bit for bit, float32 and float64);
/// it only changes who owns the native Scalars.
/// </summary>
public class TensorArithmeticTests
{
    private static void Same(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.eq(actual).all().item<bool>(), what);
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Every_member_matches_the_TorchSharp_operation(ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(7);
        Tensor t = randn([5, 7], dtype, generator: g), o = randn([5, 7], dtype, generator: g);
        Same(t + o, t.Plus(o), "Plus(Tensor)");
        Same(t + 0.3, t.Plus(0.3), "Plus(double)");
        Same(t - o, t.Minus(o), "Minus(Tensor)");
        Same(t - 0.3, t.Minus(0.3), "Minus(double)");
        Same(0.3 - t, t.SubtractedFrom(0.3), "SubtractedFrom");
        Same(1 - t, OneMinus(t), "OneMinus");
        Same(t * 0.3, t.Times(0.3), "Times");
        Same(t / 0.3, t.Over(0.3), "Over");
        Same(t.abs().pow(1.5), t.abs().Pow(1.5), "Pow");
        Same(t.gt(0.1), t.GreaterThan(0.1), "GreaterThan");
        Same(t.ge(0.1), t.AtLeast(0.1), "AtLeast");
        Same(t.lt(0.1), t.LessThan(0.1), "LessThan");
        Same(t.clamp_min(-0.2), t.ClampMin(-0.2), "ClampMin");
        Same(t.clamp_max(0.2), t.ClampMax(0.2), "ClampMax");
        Same(t.clamp(-0.2, 0.2), t.Clamp(-0.2, 0.2), "Clamp");
        Same(t.clone().add_(o), t.clone().PlusInPlace(o), "PlusInPlace(Tensor)");
        Same(t.clone().add_(0.3), t.clone().PlusInPlace(0.3), "PlusInPlace(double)");
        Same(t.clone().sub_(o), t.clone().MinusInPlace(o), "MinusInPlace");
        Same(t.clone().mul_(0.3), t.clone().TimesInPlace(0.3), "TimesInPlace");
        Same(t.clone().div_(0.3), t.clone().OverInPlace(0.3), "OverInPlace");
        Same(t.clone().fill_(0.3), t.clone().FillInPlace(0.3), "FillInPlace");
        Same(t.clone().add_(o, 0.3), t.clone().PlusScaledInPlace(o, 0.3), "PlusScaledInPlace");
        Same(t.clone().addcmul_(o, t, 0.3), t.clone().PlusProductInPlace(o, t, 0.3), "PlusProductInPlace");
        Same(full([2, 3], 0.3, dtype), Full([2, 3], 0.3, dtype, CPU), "Full");
        Same(arange(2, 9, dtype), Arange(2, 9, dtype), "Arange");
    }

    [Fact]
    public void In_place_members_return_their_tensor()
    {
        using var scope = NewDisposeScope();
        Tensor t = zeros(3);
        Assert.Same(t, t.PlusInPlace(1).TimesInPlace(2).OverInPlace(4).FillInPlace(5));
        Assert.Equal(5f, t[0].item<float>());
    }
}
