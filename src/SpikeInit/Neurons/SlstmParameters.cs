using System.Text.Json.Serialization;
using SpikeInit.Surrogates;

namespace SpikeInit.Neurons;

/// <summary>
/// Parameters of the spiking LSTM cell (<see cref="Slstm.Step"/>). The cell has no leak, time constant or threshold of
/// its own: every gate is a step function at 0 of its pre-activation (Herranz-Celotti &amp; Rouat's code), so
/// <see cref="Theta"/> is 0; only the spike condition and the gradient options are set.
/// </summary>
public sealed record SlstmParameters : INeuronParameters<SlstmParameters>
{
    /// <summary>Creates the parameters (default spike options: strict condition H(0) = 0, as the authors' step).</summary>
    public SlstmParameters(SpikeOptions? spike = null) => Spike = spike ?? SpikeOptions.Default;

    /// <summary>The gates' step is at 0 of the pre-activation: θ = 0, not a parameter.</summary>
    [JsonIgnore]
    public double Theta => 0;

    /// <summary>Spike condition and gradient options of all four gates and of the output spike.</summary>
    public SpikeOptions Spike { get; init => field = value ?? throw new ArgumentNullException(nameof(Spike)); }

    /// <inheritdoc />
    public SlstmParameters WithSpike(SpikeOptions spike) => this with { Spike = spike };
}
