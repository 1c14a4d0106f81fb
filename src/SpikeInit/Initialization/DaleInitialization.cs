using SpikeInit.Layers;
using SpikeInit.Neurons;
using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>
/// Initializes an E/I (Dale) block with the fluctuation-driven method's Dale variant (docs/THEORY.md §F7): exponential
/// weight magnitudes for the excitatory feed-forward, excitatory recurrent and inhibitory afferents of every neuron (E and
/// I receive the same fan-ins, so one plan serves both populations), with μ_U = 0 by E/I balance and σ_U = θ/ξ.
/// </summary>
internal static class DaleInitialization
{
    /// <summary>Draws the block's weights from <paramref name="generator"/> and returns the record with the prediction.</summary>
    public static LayerInitialization Initialize(int index, string name, DaleBlock block, Initializer method, InputStatistics input, Generator? generator)
    {
        if (method is not FluctuationDriven fluctuation)
            throw new ArgumentException($"an E/I (Dale) layer is initialized by fluctuation (its Dale's-law variant: exponential weights), not by {method.Name}");
        var neuron = (CubaExcInhNeuron)block.Neuron;
        int inputs = (int)block.Weight.shape[1], excitatory = (int)block.Excitatory, inhibitory = (int)block.Inhibitory;
        int recurrent = block.RecurrentWeight is null ? 0 : excitatory;
        var context = new InitContext(ConnectionKind.Recurrent, inputs, excitatory + inhibitory, neuron, input,
                                      recurrentFanIn: recurrent + inhibitory, units: excitatory + inhibitory);
        double rate = LayerTheory.RequireRate(context, method.Name);
        DalePlan plan = fluctuation.Dale(new DaleContext(inputs, recurrent, inhibitory, neuron.Parameters, rate));
        using (no_grad())
        {
            plan.FeedForward.Fill(block.Weight, generator);
            if (block.RecurrentWeight is { } w) plan.Recurrent!.Fill(w, generator);
            plan.Inhibitory.Fill(block.InhibitoryWeight, generator);
        }
        string rates = $"Dale's law: weights Exp(lambda) >= 0, lambda_ff = {Validate.Format(plan.FeedForward.Rate)}"
                       + (plan.Recurrent is { } r ? $", lambda_rec = {Validate.Format(r.Rate)}" : "")
                       + $", lambda_inh = {Validate.Format(plan.Inhibitory.Rate)} (E/I balance sets mu_U = 0)";
        var prediction = new Prediction
        {
            Method = method.Name,
            WeightMean = plan.FeedForward.Mean,
            WeightStd = plan.FeedForward.Std,
            RecurrentWeightMean = plan.Recurrent?.Mean,
            RecurrentWeightStd = plan.Recurrent?.Std,
            Regime = PredictionRegime.FreeMembrane,
            MembraneMean = plan.MembraneMean,
            MembraneStd = plan.MembraneStd,
            FiringProbability = plan.FiringProbability,
            Notes = [rates],
            Output = input,
        };
        return new LayerInitialization(index, name, context, prediction, input);
    }
}
