using SpikeInit.Initialization;
using SpikeInit.Layers;
using SpikeInit.Theory;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// Condition I for ALIF (docs/THEORY.md §S10), against a seeded recurrent layer of 256 neurons (α = 0.9, ϑ = 1, β_a = 1.8,
/// τ_a = 10 (stationary within the first half), minus-reset; input 100 Bernoulli(1/2) spike trains; conditions I and II; steps 100–200 of 200, batch 4).
/// </summary>
public class AlifConditionTests(ITestOutputHelper output)
{
    private const int Units = 256, Inputs = 100, Steps = 200, Settle = 100, Batch = 4;

    /// <summary>Stationary rate f̄, mean threshold E[ϑ_t] and mean reset term E[ϑ_t·x_{t−1}] of the layer whose weights
    /// condition I/II plans for <paramref name="planned"/>, run with <paramref name="neuron"/>.</summary>
    private static (double Rate, double Threshold, double ResetTerm, double[] NeuronRates) Simulate(AlifNeuron neuron, Neuron planned)
    {
        using var scope = NewDisposeScope();
        LayerPlan plan = new StabilityBased(StabilityConditions.I | StabilityConditions.II)
            .Plan(InitContext.Recurrent(Inputs, Units, planned, InputStatistics.Spikes(0.5)));
        using var net = SpikingNetwork.Create(NetworkSpec.Builder(Inputs).Recurrent(Units, neuron, bias: false).WithReadout(Readout.Sequence).Build(),
                                              new Generator(1), ScalarType.Float64);
        var block = (RecurrentBlock)net.Blocks[0];
        var g = new Generator(3);
        using var _ = no_grad();
        plan.Weight.Fill(block.Weight, g);
        plan.RecurrentWeight!.Fill(block.RecurrentWeight, g);
        Tensor x = rand([Steps, Batch, Inputs], dtype: ScalarType.Float64, generator: g).lt(0.5).to(ScalarType.Float64);
        Tensor s = net.Run(x, record: Recording.Spikes).Layers[0].Spikes!;
        // the trace, recomputed from the spikes: a_t = ρ a_{t−1} + (1 − ρ) x_{t−1}
        double rho = neuron.Parameters.AdaptationDecay, ba = neuron.Parameters.Adaptation;
        Tensor a = zeros([Batch, Units], ScalarType.Float64), thresholdSum = zeros([Batch, Units], ScalarType.Float64), resetSum = zeros([Batch, Units], ScalarType.Float64);
        for (int t = 1; t < Steps; t++)
        {
            a = a.Times(rho).Plus(s[t - 1].Times(1 - rho));
            if (t < Settle) continue;
            Tensor theta = a.Times(ba).Plus(neuron.Threshold);
            thresholdSum = thresholdSum.Plus(theta);
            resetSum = resetSum.Plus(theta * s[t - 1]);
        }
        double n = (Steps - Settle) * (double)Batch * Units;
        return (s[Settle..].mean().item<double>(), thresholdSum.sum().item<double>() / n, resetSum.sum().item<double>() / n,
                T.Array(s[(Settle - 1)..^1].mean([0, 1])));
    }

    [Fact]
    public void The_mean_adaptive_threshold_puts_the_layer_near_one_half_where_the_LIF_formula_does_not()
    {
        var alif = new AlifNeuron(new AlifParameters(0.9, 1.0, 1.8, 10));
        var lif = new LifNeuron(new LifParameters(0.9, 1.0));
        var (aware, threshold, reset, rates) = Simulate(alif, alif);
        var (unaware, _, _, _) = Simulate(alif, lif);
        var (plain, _, _, _) = Simulate(alif with { Parameters = alif.Parameters with { Adaptation = 0 } }, lif);
        double rho = alif.Parameters.AdaptationDecay;
        output.WriteLine($"rate: ALIF with condition I at the mean threshold {aware:G4}, ALIF with the LIF's condition I {unaware:G4}, LIF {plain:G4}");
        // E[ϑ_t·x_{t−1}] is quadratic in the rate, so it is averaged over the neurons' own rates (they differ: quenched weights)
        double resetTheory = rates.Average(p => AdaptiveThreshold.MeanResetTerm(1, 1.8, rho, p));
        output.WriteLine($"E[theta_t] = {threshold:G5} (theory theta + beta_a f = {AdaptiveThreshold.Mean(1, 1.8, aware):G5}); "
                         + $"E[theta_t x_t-1] = {reset:G5} (theory per neuron {resetTheory:G5}, at the mean rate {AdaptiveThreshold.MeanResetTerm(1, 1.8, rho, aware):G5})");
        // the ALIF-aware condition I gets as close to f = 1/2 as condition I gets the LIF layer (0.38 at this seed) ...
        Assert.InRange(aware, 0.35, 0.5);
        Assert.True(Math.Abs(aware - 0.5) <= Math.Abs(plain - 0.5) + 0.02, $"ALIF {aware} vs LIF {plain}");
        // ... and ignoring the adaptation leaves the ALIF layer far below it
        Assert.True(unaware < 0.2, $"LIF formula on ALIF: {unaware}");
        // the stationary moments the derivation uses, at the measured rates (a neuron's spikes are not quite independent in time)
        T.Relative(AdaptiveThreshold.Mean(1, 1.8, aware), threshold, 0.01, "E[theta_t]");
        T.Relative(resetTheory, reset, 0.03, "E[theta_t x_t-1]");
    }

    [Fact]
    public void Condition_I_mean_weight_has_the_derived_closed_form_and_the_LIF_limit()
    {
        // minus: μ_W = 2(c_I ϑ̄ + β_a(1 − ρ)/4)/n with ϑ̄ = ϑ + β_a/2, c_I = 3/2 − α; pre: 2(1 − α/2)ϑ̄/n; post: 2(2 − α)ϑ̄/n
        double alpha = 0.9, theta = 1, ba = 1.8, rho = Math.Exp(-1 / 50.0), mean = theta + ba / 2;
        int n = 255;
        Assert.Equal(2 * ((1.5 - alpha) * mean + ba * (1 - rho) / 4) / n,
                     StabilityTheory.RecurrentMean(StabilityReset.Minus, alpha, theta, n, 0, FormulaVariant.Derived, ba, rho), 15);
        Assert.Equal(2 * (1 - alpha / 2) * mean / n, StabilityTheory.RecurrentMean(StabilityReset.Pre, alpha, theta, n, 0, FormulaVariant.Derived, ba, rho), 15);
        Assert.Equal(2 * (2 - alpha) * mean / n, StabilityTheory.RecurrentMean(StabilityReset.Post, alpha, theta, n, 0, FormulaVariant.Derived, ba, rho), 15);
        Assert.Equal((3 - 2 * alpha) * theta / n, StabilityTheory.RecurrentMean(StabilityReset.Minus, alpha, theta, n, 0, FormulaVariant.Derived, 0, rho), 15);
        // the same through the initializer, which reads the adaptation from the neuron's dynamics
        var plan = new StabilityBased(StabilityConditions.I).Plan(InitContext.Recurrent(100, n + 1, new AlifNeuron(new AlifParameters(alpha, theta, ba, 50)), InputStatistics.Spikes(0.5)));
        Assert.Equal(2 * ((1.5 - alpha) * mean + ba * (1 - rho) / 4) / n, plan.RecurrentWeight!.Mean, 12);
        Assert.Contains(plan.Theory.Notes, note => note.Contains("mean threshold", StringComparison.Ordinal));
    }
}
