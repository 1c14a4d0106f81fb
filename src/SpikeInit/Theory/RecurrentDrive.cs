namespace SpikeInit.Theory;

/// <summary>
/// What drives one neuron of a recurrent layer (docs/THEORY.md §S3.3 addendum): the feed-forward current
/// <c>Σ_k W_in,ik x_k,t</c> split into its per-neuron mean (constant over time, Gaussian across neurons) and its
/// per-step fluctuation, and the recurrent weights' count, mean and variance. Build it with <see cref="FromWeights"/>.
/// </summary>
/// <param name="InputMean">Population mean of the per-neuron feed-forward current, <c>N·E[W_in]·E[x] + b</c>.</param>
/// <param name="InputQuenchedVariance">Variance across neurons of the per-neuron mean feed-forward current, <c>N·Var(W_in)·E[x]²</c>.</param>
/// <param name="InputTemporalVariance">Per-step variance of the feed-forward current around its neuron's mean, <c>N·E[W_in²]·Var(x)</c>.</param>
/// <param name="RecurrentInputs">Recurrent inputs per neuron n ≥ 0.</param>
/// <param name="RecurrentMean">μ_W of the recurrent weights.</param>
/// <param name="RecurrentVariance">σ_W² ≥ 0 of the recurrent weights.</param>
public sealed record RecurrentDrive(double InputMean, double InputQuenchedVariance, double InputTemporalVariance,
                                    int RecurrentInputs, double RecurrentMean, double RecurrentVariance)
{
    /// <summary>μ of the per-neuron feed-forward current (finite).</summary>
    public double InputMean { get; init => field = Validate.Finite(value, "input_mean"); } = InputMean;
    /// <summary>Quenched variance ≥ 0 of the feed-forward current.</summary>
    public double InputQuenchedVariance { get; init => field = Validate.NonNegativeFinite(value, "input_quenched_variance"); } = InputQuenchedVariance;
    /// <summary>Temporal variance ≥ 0 of the feed-forward current.</summary>
    public double InputTemporalVariance { get; init => field = Validate.NonNegativeFinite(value, "input_temporal_variance"); } = InputTemporalVariance;
    /// <summary>n ≥ 0.</summary>
    public int RecurrentInputs { get; init => field = Validate.AtLeast(value, "recurrent_inputs", 0); } = RecurrentInputs;
    /// <summary>μ_W (finite).</summary>
    public double RecurrentMean { get; init => field = Validate.Finite(value, "recurrent_mean"); } = RecurrentMean;
    /// <summary>σ_W² ≥ 0.</summary>
    public double RecurrentVariance { get; init => field = Validate.NonNegativeFinite(value, "recurrent_variance"); } = RecurrentVariance;

    /// <summary>E[W²] = σ_W² + μ_W² of the recurrent weights.</summary>
    public double RecurrentSecondMoment => RecurrentVariance + RecurrentMean * RecurrentMean;

    /// <summary>
    /// The drive of N inputs x (mean μ_x, variance σ_x², independent over time) through weights W_in with mean μ_in and
    /// variance σ_in², a bias b, and n recurrent weights with mean μ_W and variance σ_W².
    /// </summary>
    public static RecurrentDrive FromWeights(int fanIn, double inputWeightMean, double inputWeightVariance, double inputMean,
                                             double inputVariance, double bias, int recurrentInputs, double recurrentMean,
                                             double recurrentVariance)
    {
        Validate.AtLeast(fanIn, "fan_in", 1);
        Validate.Finite(inputWeightMean, "input_weight_mean");
        Validate.NonNegativeFinite(inputWeightVariance, "input_weight_variance");
        Validate.Finite(inputMean, "input_mean");
        Validate.NonNegativeFinite(inputVariance, "input_variance");
        Validate.Finite(bias, "bias");
        double secondMoment = inputWeightVariance + inputWeightMean * inputWeightMean;
        return new RecurrentDrive(fanIn * inputWeightMean * inputMean + bias,
                                  fanIn * inputWeightVariance * inputMean * inputMean,
                                  fanIn * secondMoment * inputVariance,
                                  recurrentInputs, recurrentMean, recurrentVariance);
    }
}
