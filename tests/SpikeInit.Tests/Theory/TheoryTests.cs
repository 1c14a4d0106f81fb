using SpikeInit.Theory;

namespace SpikeInit.Tests;

/// <summary>Closed forms against docs/THEORY.md §M-C (printed to 6–7 significant digits: relative 5e-6).</summary>
public class MicheliTheoryTests
{
    [Theory]
    [InlineData(0.0, 0.500000, 100, 2.000000e-02)]
    [InlineData(0.0, 0.500000, 1000, 2.000000e-03)]
    [InlineData(0.25, 0.401294, 100, 2.491941e-02)]
    [InlineData(0.25, 0.401294, 600, 4.153234e-03)]
    [InlineData(0.5, 0.308538, 600, 5.401828e-03)]
    [InlineData(0.5, 0.308538, 1000, 3.241097e-03)]
    [InlineData(0.75, 0.226627, 100, 4.412530e-02)]
    [InlineData(0.75, 0.226627, 1000, 4.412530e-03)]
    [InlineData(1.0, 0.158655, 100, 6.302974e-02)]
    [InlineData(1.0, 0.158655, 600, 1.050496e-02)]
    [InlineData(1.0, 0.158655, 1000, 6.302974e-03)]
    [InlineData(1.5, 0.066807, 1000, 1.496845e-02)]
    public void Weight_variance_matches_C1(double theta, double p, int n, double variance)
    {
        Assert.Equal(p, Gaussian.FiringProbability(theta), 6);
        T.Relative(variance, MicheliTheory.WeightVariance(n, theta), 5e-7, "Var[w]");
        T.Relative(MicheliTheory.WeightVariance(n, theta), MicheliTheory.WeightVarianceFromProbability(n, Gaussian.FiringProbability(theta)), 1e-12, "measured-P form");
    }

    [Fact]
    public void Theta_zero_is_kaiming_and_the_ratio_to_kaiming_is_one_over_2P()
    {
        Assert.Equal(2.0 / 600, MicheliTheory.WeightVariance(600, 0), 15);
        T.Relative(3.151487, MicheliTheory.WeightVariance(1000, 1.0) / (2.0 / 1000), 5e-7, "1/(2P) at θ = 1");
        T.Relative(1.245970, MicheliTheory.WeightVariance(1000, 0.25) / (2.0 / 1000), 5e-7, "1/(2P) at θ = 0.25");
    }

    [Theory]
    [InlineData(0.25, 0.022750, 1.098895e-02)]
    [InlineData(0.5, 0.078650, 6.357311e-03)]
    [InlineData(2.0, 0.239750, 8.342021e-03)]
    [InlineData(4.0, 0.308538, 1.296439e-02)]
    public void General_input_variance_matches_C1b(double inputVariance, double p, double variance)
    {
        Assert.Equal(p, Gaussian.FiringProbability(1.0, Math.Sqrt(inputVariance)), 6);
        T.Relative(variance, MicheliTheory.WeightVariance(1000, 1.0, inputVariance), 5e-7, "Var[w]");
    }

    [Theory]
    [InlineData(0.1, 0.92034, 0.91698, 0.91682, 0.91682)]
    [InlineData(0.25, 0.80259, 0.78020, 0.77667, 0.77666)]
    [InlineData(0.5, 0.61708, 0.52445, 0.46817, 0.46194)]
    public void Kaiming_mean_field_decay_matches_C5(double theta, double v1, double v2, double v5, double v100)
    {
        double v = 1;
        var at = new Dictionary<int, double>();
        for (int l = 1; l <= 100; l++)
        {
            v = MicheliTheory.KaimingVarianceMap(v, theta);
            at[l] = v;
        }
        T.Relative(v1, at[1], 1e-4, "V1");
        T.Relative(v2, at[2], 1e-4, "V2");
        T.Relative(v5, at[5], 1e-4, "V5");
        T.Relative(v100, at[100], 1e-4, "V100");
    }

    [Fact]
    public void Kaiming_activity_dies_for_large_thresholds()
    {
        T.Relative(7.1727e-04, Enumerable.Range(0, 5).Aggregate(1.0, (v, _) => MicheliTheory.KaimingVarianceMap(v, 0.75)), 1e-4, "θ = 0.75, V5");
        T.Relative(7.5858e-02, MicheliTheory.KaimingVarianceMap(MicheliTheory.KaimingVarianceMap(1, 1.0), 1.0), 1e-4, "θ = 1, V2");
        Assert.Equal(0, MicheliTheory.KaimingVarianceMap(0, 1.0));
    }

    [Theory]
    [InlineData(0.1, 0.0431)]
    [InlineData(0.5, 0.2853)]
    [InlineData(1.0, 0.7626)]
    [InlineData(1.5, 1.4540)]
    [InlineData(1.1906, 1.0)]
    public void Fixed_point_slope_matches_C5(double theta, double slope) =>
        Assert.Equal(slope, MicheliTheory.FixedPointSlope(theta), 4);

    [Fact]
    public void Invalid_inputs_name_the_parameter()
    {
        Assert.Contains("fan_in = 0", Assert.Throws<ArgumentOutOfRangeException>(() => MicheliTheory.WeightVariance(0, 1)).Message);
        Assert.Contains("theta = -1", Assert.Throws<ArgumentOutOfRangeException>(() => MicheliTheory.WeightVariance(10, -1)).Message);
        Assert.Contains("input_variance = 0", Assert.Throws<ArgumentOutOfRangeException>(() => MicheliTheory.WeightVariance(10, 1, 0)).Message);
        Assert.Contains("firing_probability = 0", Assert.Throws<ArgumentOutOfRangeException>(() => MicheliTheory.WeightVarianceFromProbability(10, 0)).Message);
        Assert.Contains("silent", Assert.Throws<ArgumentOutOfRangeException>(() => MicheliTheory.WeightVarianceFromProbability(10, 1e-320)).Message);
    }
}

public class DingTheoryTests
{
    [Theory]
    [InlineData(0.8, 0.2, 1.0, 1.000000e-01, 0.500000, 1.000000, 5.516656)]
    [InlineData(0.3, 0.1, 1.0, 4.000000e-01, 3.500000, 7.000000, 13.905037)]
    [InlineData(0.5, 4.0, 1.0, 2.500000e-04, 0.062500, 0.125000, 0.317687)]
    [InlineData(0.6, 0.3, 4.0, 7.111111e-01, 2.666667, 5.333333, 16.177306)]
    [InlineData(1.0, 1.0, 1.0, 4.000000e-03, 0.000000, 0.000000, 1.000000)]
    public void Initialization_matches_C2(double k, double lambda, double theta, double variance, double bias, double rheobase, double iSat)
    {
        T.Relative(variance, DingTheory.WeightVariance(500, k, lambda, theta), 5e-7, "Var[W]");
        Assert.Equal(bias, DingTheory.Bias(k, lambda, theta), 6);
        Assert.Equal(rheobase, DingTheory.Rheobase(k, lambda, theta), 6);
        Assert.Equal(iSat, DingTheory.SaturationCurrent(k, lambda, theta), 6);
    }

    [Fact]
    public void Non_leaky_unit_gain_is_he_normal_with_zero_bias()
    {
        Assert.Equal(2.0 / 784, DingTheory.WeightVariance(784, 1, 1, 1), 15);
        Assert.Equal(0, DingTheory.Bias(1, 1, 1));
    }

    [Theory]
    [InlineData(1.0, 0.2, -1.0, 0.0, -0.20)]
    [InlineData(1.0, 0.2, 0.3, 0.06, 0.06)]
    [InlineData(1.0, 0.2, 4.6, 0.92, 0.92)]
    [InlineData(1.0, 0.2, 5.8, 1.0, 1.16)]
    [InlineData(0.8, 0.2, 0.7, 0.0, 0.04)]
    [InlineData(0.8, 0.2, 1.2, 0.111622, 0.14)]
    [InlineData(0.8, 0.2, 1.7, 0.225402, 0.24)]
    [InlineData(0.8, 0.2, 2.2, 0.329959, 0.34)]
    [InlineData(0.8, 0.2, 3.3, 0.553996, 0.56)]
    [InlineData(0.8, 0.2, 4.6, 0.815919, 0.82)]
    [InlineData(0.8, 0.2, 5.3, 0.956518, 0.96)]
    [InlineData(0.8, 0.2, 5.8, 1.0, 1.06)]
    [InlineData(0.8, 1.0, 0.3, 0.182048, 0.20)]
    [InlineData(0.8, 1.0, 0.7, 0.594403, 0.60)]
    public void Rate_and_asymptote_match_C3(double k, double lambda, double current, double rate, double asymptote)
    {
        Assert.Equal(rate, DingTheory.Rate(current, k, lambda, 1.0), 6);
        Assert.Equal(asymptote, DingTheory.Asymptote(current, k, lambda, 1.0), 12);
    }

    [Theory]
    [InlineData(1.0, 0.2, 0.3, 20, 0.05)]
    [InlineData(1.0, 0.2, 0.3, 10000, 0.0588)]
    [InlineData(1.0, 0.2, 0.7, 10000, 0.1250)]
    [InlineData(0.8, 0.2, 1.2, 10000, 0.1111)]
    [InlineData(0.8, 0.2, 2.2, 10000, 0.3333)]
    [InlineData(0.8, 0.2, 2.2, 20, 0.30)]
    [InlineData(0.8, 1.0, 0.7, 20, 0.50)]
    public void Discrete_rate_matches_C3_and_the_simulated_neuron(double k, double lambda, double current, int steps, double rate)
    {
        Assert.Equal(rate, DingTheory.DiscreteRate(current, k, lambda, 1.0, steps), 4);
        if (steps > 100) return;
        var neuron = new Neurons.KLambdaNeuron(new Neurons.KLambdaParameters(k, lambda, 1.0));
        (_, double[] s) = LifGoldenTests.Run(neuron, Enumerable.Repeat(current, steps).ToArray());
        Assert.Equal(DingTheory.DiscreteRate(current, k, lambda, 1.0, steps), s.Sum() / steps, 12);
    }

    [Fact]
    public void Invalid_inputs_name_the_parameter()
    {
        Assert.Contains("k = 0", Assert.Throws<ArgumentOutOfRangeException>(() => DingTheory.Bias(0, 1, 1)).Message);
        Assert.Contains("lambda = 0", Assert.Throws<ArgumentOutOfRangeException>(() => DingTheory.WeightVariance(10, 0.5, 0, 1)).Message);
        Assert.Contains("theta = -1", Assert.Throws<ArgumentOutOfRangeException>(() => DingTheory.Rate(1, 0.5, 1, -1)).Message);
        Assert.Contains("steps = 0", Assert.Throws<ArgumentOutOfRangeException>(() => DingTheory.DiscreteRate(1, 0.5, 1, 1, 0)).Message);
    }
}
