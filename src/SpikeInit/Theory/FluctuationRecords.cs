namespace SpikeInit.Theory;

/// <summary>Mean and standard deviation of a weight distribution, with the moments it implies.</summary>
/// <param name="Mean">μ_W.</param>
/// <param name="Std">σ_W.</param>
public readonly record struct WeightMoments(double Mean, double Std)
{
    /// <summary>E[W²] = σ² + μ².</summary>
    public double SecondMoment => Std * Std + Mean * Mean;
}

/// <summary>One afferent connection onto a population (docs/THEORY.md §F5).</summary>
/// <param name="FanIn">Number of presynaptic inputs per neuron through this connection.</param>
/// <param name="Recurrent">Whether the source is the target population itself.</param>
public readonly record struct Afferent(int FanIn, bool Recurrent);

/// <summary>Rates of the exponential weight distributions of a Dalian population (docs/THEORY.md §F7); means are 1/λ.</summary>
/// <param name="FeedForward">λ of the excitatory feed-forward weights.</param>
/// <param name="Recurrent">λ of the excitatory recurrent weights (= <paramref name="FeedForward"/> without recurrence).</param>
/// <param name="Inhibitory">λ of the inhibitory weights (entering with a minus sign).</param>
public readonly record struct DaleRates(double FeedForward, double Recurrent, double Inhibitory);
