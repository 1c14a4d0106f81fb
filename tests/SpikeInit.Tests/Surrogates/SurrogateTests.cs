namespace SpikeInit.Tests;

public class SurrogateTests
{
    public static TheoryData<Surrogate> All() =>
    [
        new ArcTan(), new ArcTan(0.7), new SigmoidSurrogate(), new TanhSurrogate(), new HardTanh(), new HardTanh(2.5),
        new SuperSpike(), new SuperSpike(20, rescaled: true),
        .. Enum.GetValues<SurrogateShape>().Select(s => (Surrogate)new NormalizedSurrogate(s, 0.75, 1.5, 1.56)),
        new NormalizedSurrogate(SurrogateShape.QPseudoSpike, 1, 1, 4.0),
    ];

    /// <summary>docs/THEORY.md §M-C4: (h, h') at x = u − θ.</summary>
    [Theory]
    [InlineData(-1.00, 0.098093, 0.092000, 0.119203, 0.209987, 0.017986, 0.070651, 0.0, 0.0)]
    [InlineData(-0.25, 0.288078, 0.618486, 0.377541, 0.470007, 0.268941, 0.786448, 0.25, 1.0)]
    [InlineData(0.00, 0.500000, 1.000000, 0.500000, 0.500000, 0.500000, 1.000000, 0.5, 1.0)]
    [InlineData(0.25, 0.711922, 0.618486, 0.622459, 0.470007, 0.731059, 0.786448, 0.75, 1.0)]
    [InlineData(0.50, 0.819546, 0.288400, 0.731059, 0.393224, 0.880797, 0.419974, 1.0, 0.0)]
    [InlineData(1.00, 0.901907, 0.092000, 0.880797, 0.209987, 0.982014, 0.070651, 1.0, 0.0)]
    public void Ding_and_SpikingJelly_surrogates_match_the_spec_vectors(double x, double atH, double atD, double sgH, double sgD,
                                                                      double thH, double thD, double htH, double htD)
    {
        (Surrogate s, double h, double d)[] cases =
        [
            (new ArcTan(2), atH, atD), (new SigmoidSurrogate(2), sgH, sgD), (new TanhSurrogate(2), thH, thD), (new HardTanh(1), htH, htD),
        ];
        foreach (var (s, h, d) in cases)
        {
            Assert.True(Math.Abs(s.Primitive(x) - h) < 1e-6, $"{s.Name} h({x}) = {s.Primitive(x)} vs {h}");
            Assert.True(Math.Abs(s.Derivative(x) - d) < 1e-6, $"{s.Name} h'({x}) = {s.Derivative(x)} vs {d}");
        }
    }

    /// <summary>docs/THEORY.md §S8: normalized shapes f(x) at γ = β = 1.</summary>
    [Theory]
    [InlineData(SurrogateShape.Rectangular, 2.0, new[] { 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0 })]
    [InlineData(SurrogateShape.Triangular, 2.0, new[] { 0.0, 0.0, 0.5, 1.0, 0.5, 0.0, 0.0 })]
    [InlineData(SurrogateShape.Exponential, 2.0, new[] { 0.018316, 0.135335, 0.367879, 1.0, 0.367879, 0.135335, 0.018316 })]
    [InlineData(SurrogateShape.Gaussian, 2.0, new[] { 0.000003, 0.043214, 0.455938, 1.0, 0.455938, 0.043214, 0.000003 })]
    [InlineData(SurrogateShape.SigmoidDerivative, 2.0, new[] { 0.001341, 0.070651, 0.419974, 1.0, 0.419974, 0.070651, 0.001341 })]
    [InlineData(SurrogateShape.FastSigmoid, 2.0, new[] { 0.04, 0.111111, 0.25, 1.0, 0.25, 0.111111, 0.04 })]
    [InlineData(SurrogateShape.QPseudoSpike, 1.5, new[] { 0.037037, 0.089443, 0.192450, 1.0, 0.192450, 0.089443, 0.037037 })]
    [InlineData(SurrogateShape.QPseudoSpike, 2.0, new[] { 0.04, 0.111111, 0.25, 1.0, 0.25, 0.111111, 0.04 })]
    [InlineData(SurrogateShape.QPseudoSpike, 4.0, new[] { 0.033736, 0.129600, 0.316406, 1.0, 0.316406, 0.129600, 0.033736 })]
    public void Normalized_shapes_match_the_spec_vectors(SurrogateShape shape, double q, double[] expected)
    {
        var s = new NormalizedSurrogate(shape, 1, 1, q);
        double[] xs = [-2, -1, -0.5, 0, 0.5, 1, 2];
        T.Close(expected, xs.Select(s.Derivative).ToArray(), 5e-7, s.Name);
    }

    [Theory]
    [InlineData(0.0, 0.00226757)]
    [InlineData(0.5, 0.00826446)]
    [InlineData(1.0, 1.0)]
    public void SuperSpike_is_storks_form(double membrane, double expected) =>
        T.Relative(expected, new SuperSpike(20).Derivative(membrane - 1.0), 1e-5, "SuperSpike'");

    [Fact]
    public void Rescaled_SuperSpike_is_one_at_rest() =>
        Assert.Equal(1.0, new SuperSpike(20, rescaled: true).Derivative(-1.0), 12);

    [Theory]
    [MemberData(nameof(All))]
    public void Values_are_finite_for_large_inputs_in_float32_and_float64(Surrogate s)
    {
        foreach (ScalarType dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var scope = NewDisposeScope();
            Tensor x = linspace(-1e3, 1e3, 20001, dtype);
            Assert.True(s.Derivative(x).isfinite().all().item<bool>(), $"{s.Name} derivative ({dtype})");
            Assert.True(s.Primitive(x).isfinite().all().item<bool>(), $"{s.Name} primitive ({dtype})");
            Assert.True(s.Derivative(x).ge(0).all().item<bool>(), $"{s.Name} derivative is non-negative");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Peak_is_at_zero_and_as_documented(Surrogate s)
    {
        using var scope = NewDisposeScope();
        Tensor x = linspace(-10, 10, 200001, ScalarType.Float64);
        double max = s.Derivative(x).max().item<double>();
        T.Relative(s.Peak, max, 1e-9, $"{s.Name} max");
        T.Relative(s.Peak, s.Derivative(0.0), 1e-12, $"{s.Name} h'(0)");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Area_is_as_documented_and_the_primitive_runs_from_zero_to_the_area(Surrogate s)
    {
        using var scope = NewDisposeScope();
        // Numerical integral of h' over [−L, L] (trapezoid on a fine grid) equals the primitive's increment ...
        const double L = 40;
        Tensor x = linspace(-L, L, 800001, ScalarType.Float64);
        double integral = trapezoid(s.Derivative(x), x).item<double>();
        bool jumps = s is HardTanh or NormalizedSurrogate { Shape: SurrogateShape.Rectangular };
        T.Relative(s.Primitive(L) - s.Primitive(-L), integral, jumps ? 5e-4 : 1e-6, $"{s.Name} ∫h' vs h(L) − h(−L)");
        // ... and the primitive tends to 0 and to the documented area (heavy tails converge slowly: far points).
        Assert.True(Math.Abs(s.Primitive(-1e15)) < 1e-6 * s.Area, $"{s.Name} h(−∞) = {s.Primitive(-1e15)}");
        T.Relative(s.Area, s.Primitive(1e15), 1e-6, $"{s.Name} h(+∞)");
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Derivative_equals_the_numerical_derivative_of_the_primitive(Surrogate s)
    {
        const double h = 1e-6;
        foreach (double x in new[] { -3.1, -1.37, -0.61, -0.23, -0.07, 0.013, 0.09, 0.21, 0.44, 0.83, 1.9, 7.3 })
        {
            double numeric = (s.Primitive(x + h) - s.Primitive(x - h)) / (2 * h);
            Assert.True(Math.Abs(numeric - s.Derivative(x)) < 1e-6 * Math.Max(1, s.Peak), $"{s.Name} at {x}: {numeric} vs {s.Derivative(x)}");
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Spike_is_a_step_forward_and_the_surrogate_backward(Surrogate s)
    {
        using var scope = NewDisposeScope();
        Tensor x = T.Vec(-1.3, -0.2, 0.0, 0.2, 2.5).requires_grad_(true);
        Tensor strict = s.Spike(x, SpikeOptions.Default);
        T.Close([0, 0, 0, 1, 1], T.Array(strict), 0, "u > θ");
        T.Close([0, 0, 1, 1, 1], T.Array(s.Spike(x, new SpikeOptions(SpikeCondition.GreaterOrEqual))), 0, "u ≥ θ");
        (strict * T.Vec(1, 2, 3, 4, 5)).sum().backward();
        double[] expected = T.Array(s.Derivative(x.detach()) * T.Vec(1, 2, 3, 4, 5));
        T.Close(expected, T.Array(x.grad!), 1e-12, "grad");
    }

    [Fact]
    public void Invalid_parameters_name_the_parameter_and_the_range()
    {
        Assert.Contains("alpha = 0 is outside the valid range (0, ∞)", Assert.Throws<ArgumentOutOfRangeException>(() => new ArcTan(0)).Message);
        Assert.Contains("q = 1 is outside the valid range (1, ∞)",
                        Assert.Throws<ArgumentOutOfRangeException>(() => new NormalizedSurrogate(SurrogateShape.QPseudoSpike, q: 1)).Message);
        Assert.Contains("sharpness", Assert.Throws<ArgumentOutOfRangeException>(() => new NormalizedSurrogate(SurrogateShape.Gaussian) with { Sharpness = -1 }).Message);
        Assert.Contains("beta = NaN", Assert.Throws<ArgumentOutOfRangeException>(() => new SuperSpike(double.NaN)).Message);
        Assert.Contains("a = 0 is outside the valid range (0, ∞)", Assert.Throws<ArgumentOutOfRangeException>(() => new SigmoidSurrogate(0)).Message);
        Assert.Contains("a = -1", Assert.Throws<ArgumentOutOfRangeException>(() => new HardTanh() with { A = -1 }).Message);
    }
}
