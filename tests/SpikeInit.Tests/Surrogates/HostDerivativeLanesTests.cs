namespace SpikeInit.Tests;

/// <summary>
/// The vectorized host surrogate derivatives (<c>Surrogate.Derivative(ReadOnlySpan&lt;float&gt;, Span&lt;float&gt;)</c>):
/// every lane of the vector form equals the scalar form bit for bit (a one-element span runs the scalar tail), over random
/// inputs with ±0, subnormals, huge magnitudes and ±∞ (NaN-free), on lengths that leave a ragged tail.
/// </summary>
public class HostDerivativeLanesTests
{
    public static TheoryData<string> Vectorized() => [.. Cases().Keys];

    private static Dictionary<string, Surrogate> Cases() => new()
    {
        ["superspike"] = new SuperSpike(20), ["superspike-rescaled"] = new SuperSpike(10, rescaled: true), ["arctan"] = new ArcTan(2),
        ["hardtanh"] = new HardTanh(1.5), ["rectangular"] = new NormalizedSurrogate(SurrogateShape.Rectangular, 0.7, 2.5),
        ["triangular"] = new NormalizedSurrogate(SurrogateShape.Triangular, 0.7, 2.5),
        ["fast-sigmoid"] = new NormalizedSurrogate(SurrogateShape.FastSigmoid, 0.3, 5.0),
        ["sigmoid"] = new SigmoidSurrogate(3), ["q-pseudo-spike"] = new NormalizedSurrogate(SurrogateShape.QPseudoSpike, 1, 2, 1.8),
    };

    private static float[] Inputs(int seed, int count)
    {
        var random = new Random(seed);
        float[] special = [0f, -0f, 1e-40f, -1e-40f, float.Epsilon, -float.Epsilon, 1e30f, -1e30f, float.MaxValue, float.MinValue,
                           float.PositiveInfinity, float.NegativeInfinity, 0.2f, -0.2f, 1f / 3f, -1f / 3f, 0.5f, -0.5f, 1f, -1f];
        var x = new float[count];
        for (int i = 0; i < count; i++)
            x[i] = i % 7 == 0 ? special[random.Next(special.Length)]
                 : i % 7 == 1 ? (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-12, 12)))
                 : (float)((random.NextDouble() - 0.5) * 8);
        return x;
    }

    [Theory]
    [MemberData(nameof(Vectorized))]
    public void Vector_lanes_equal_the_scalar_form_bit_for_bit(string name)
    {
        Surrogate surrogate = Cases()[name];
        foreach (int count in new[] { 4099, 37, 3 })
        {
            float[] x = Inputs(count, count);
            var lanes = new float[count];
            surrogate.Derivative(x, lanes);
            var one = new float[1];
            for (int i = 0; i < count; i++)
            {
                surrogate.Derivative(x.AsSpan(i, 1), one);
                Assert.True(BitConverter.SingleToInt32Bits(lanes[i]) == BitConverter.SingleToInt32Bits(one[0]),
                            $"{name} at x = {x[i]:R}: lanes {lanes[i]:R}, scalar {one[0]:R}");
            }
            float[] inPlace = [.. x];
            surrogate.Derivative(inPlace, inPlace);
            Assert.Equal(lanes, inPlace);
        }
    }

    [Fact]
    public void Hot_path_derivatives_equal_their_float32_formulas_and_the_tensor_fast_sigmoid()
    {
        float[] x = Inputs(5, 1031);
        var host = new float[x.Length];
        new SuperSpike(20).Derivative(x, host);
        for (int i = 0; i < x.Length; i++)
        {
            float d = MathF.Abs(x[i]) * 20f + 1f;
            Assert.Equal(1f / (d * d) * 1f, host[i]);          // stork's 1/(β|x| + 1)², the scalar code before vectorizing
        }
        var fast = new NormalizedSurrogate(SurrogateShape.FastSigmoid, 0.3, 5.0);
        fast.Derivative(x, host);
        float[] reference = fast.Derivative(tensor(x)).data<float>().ToArray();
        for (int i = 0; i < x.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(host[i]) == BitConverter.SingleToInt32Bits(reference[i]),
                        $"fast sigmoid at x = {x[i]:R}: host {host[i]:R}, tensor {reference[i]:R}");
        Assert.Throws<ArgumentException>(() => new SuperSpike().Derivative(x, new float[3]));
    }
}
