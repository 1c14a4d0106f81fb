using SpikeInit.Layers;
using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>
/// Initializes a spiking LSTM layer (<see cref="SlstmBlock"/>, docs/THEORY.md §S11) as Herranz-Celotti &amp; Rouat's code
/// does: each gate is its own Keras <c>Dense</c> layer, so each of the four gate blocks of the input weights
/// (<c>[N, in]</c>, fan-in <c>in</c>, fan-out N) and of the recurrent weights (<c>[N, N]</c>) is drawn by Glorot
/// (uniform by default, their setting) with its own fans, and the bias is 0 (Keras' default). The paper gives no
/// condition for the sLSTM cell, so no other method applies; the layer has no forward theory, and the next layer's
/// prediction takes its outputs as zero-mean, unit-variance input (an assumption, not a prediction).
/// </summary>
internal static class SlstmInitialization
{
    /// <summary>The methods that initialize an sLSTM layer.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["glorot-uniform", "glorot"];

    /// <summary>Draws the block's weights from <paramref name="generator"/> and returns the record (no prediction).</summary>
    public static LayerInitialization Initialize(int index, string name, SlstmBlock block, Initializer method, Generator? generator)
    {
        if (method is not Glorot glorot)
            throw new ArgumentException($"an slstm layer is initialized by {string.Join(" or ", Supported)} (Herranz-Celotti & Rouat give stability conditions for LIF and ALIF only), not by {method.Name}");
        long units = block.Units, inputs = block.Weight.shape[1];
        WeightDistribution input = Kaiming.Symmetric(glorot.Uniform, 2.0 / (inputs + units));
        WeightDistribution recurrent = Kaiming.Symmetric(glorot.Uniform, 2.0 / (units + units));
        using (no_grad())
        {
            for (long g = 0; g < 4; g++)
            {
                input.Fill(block.Weight.narrow(0, g * units, units), generator);
                recurrent.Fill(block.RecurrentWeight.narrow(0, g * units, units), generator);
            }
            block.Bias?.zero_();
        }
        return new LayerInitialization(index, name, null, null, InputStatistics.Gaussian());
    }
}
