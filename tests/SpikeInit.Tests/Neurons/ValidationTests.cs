namespace SpikeInit.Tests;

public class ValidationTests
{
    public static TheoryData<string, Func<object>> Bad() => new()
    {
        { "beta = 1.5 is outside the valid range [0, 1]", () => new LifParameters(beta: 1.5) },
        { "beta = -0.1 is outside the valid range [0, 1]", () => new LifParameters(beta: -0.1) },
        { "theta = 0 is outside the valid range (0, ∞)", () => new LifParameters(theta: 0) },
        { "theta = -1 is outside the valid range (0, ∞)", () => new LifParameters() with { Theta = -1 } },
        { "gain = 0 is outside the valid range (0, ∞)", () => new LifParameters(gain: 0) },
        { "k = 0 is outside the valid range (0, 1]", () => new KLambdaParameters(k: 0) },
        { "k = 1.2 is outside the valid range (0, 1]", () => new KLambdaParameters(k: 1.2) },
        { "lambda = -0.2 is outside the valid range (0, ∞)", () => new KLambdaParameters(lambda: -0.2) },
        { "dt = 0 is outside the valid range (0, ∞)", () => new CubaLifParameters(dt: 0) },
        { "tau_mem = NaN is outside the valid range (0, ∞)", () => new CubaLifParameters(tauMem: double.NaN) },
        { "tau_syn = -0.01 is outside the valid range (0, ∞)", () => new CubaLifParameters(tauSyn: -0.01) },
        { "tau_inh = 0 is outside the valid range (0, ∞)", () => new CubaExcInhParameters(tauInh: 0) },
        { "reset = 17 is not one of", () => new LifParameters(reset: (LifReset)17) },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Out_of_range_parameters_are_rejected_with_the_name_and_range(string message, Func<object> create) =>
        Assert.Contains(message, Assert.Throws<ArgumentOutOfRangeException>(create).Message);

    [Fact]
    public void Boundary_values_are_accepted()
    {
        Assert.Equal(0, new LifParameters(beta: 0).Beta);
        Assert.Equal(1, new LifParameters(beta: 1).Beta);
        Assert.Equal(1, new KLambdaParameters(k: 1).K);
        Assert.Equal(0.9, (new LifParameters() with { Beta = 0.9 }).Beta);
    }
}
