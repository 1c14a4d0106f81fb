namespace SpikeInit.Initialization;

/// <summary>
/// A complete initialization of one population: the weight distributions, the bias, the surrogate the method
/// recommends (null: keep the neuron's), and the prediction. Pure data; <see cref="Apply"/> draws the tensors.
/// </summary>
/// <param name="Weight">Distribution of the feed-forward (or conv) weights.</param>
/// <param name="RecurrentWeight">Distribution of the recurrent weights, or null.</param>
/// <param name="Bias">Constant bias per neuron.</param>
/// <param name="Surrogate">Surrogate recommended by the method, or null.</param>
/// <param name="Theory">What the method predicts.</param>
public sealed record LayerPlan(WeightDistribution Weight, WeightDistribution? RecurrentWeight, double Bias,
                               Surrogates.Surrogate? Surrogate, Prediction Theory)
{
    /// <summary>
    /// Draws the weights into <paramref name="weight"/> (<c>[out, in, ...]</c>), <paramref name="recurrentWeight"/>
    /// (<c>[units, units]</c>, when the plan has one) and fills <paramref name="bias"/>, in place and without gradient,
    /// from <paramref name="generator"/>. A non-zero bias needs a bias tensor.
    /// </summary>
    public void Apply(TorchSharp.torch.Tensor weight, TorchSharp.torch.Tensor? bias = null, TorchSharp.torch.Tensor? recurrentWeight = null,
                      TorchSharp.torch.Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (Bias != 0 && bias is null)
            throw new ArgumentException($"{Theory.Method} sets a bias of {Validate.Format(Bias)}, but the layer has no bias (build it with bias)", nameof(bias));
        if (RecurrentWeight is not null && recurrentWeight is null)
            throw new ArgumentException($"{Theory.Method} initializes recurrent weights, but none were passed", nameof(recurrentWeight));
        using var _ = TorchSharp.torch.no_grad();
        Weight.Fill(weight, generator);
        if (RecurrentWeight is not null) RecurrentWeight.Fill(recurrentWeight!, generator);
        bias?.FillInPlace(Bias);
    }
}
