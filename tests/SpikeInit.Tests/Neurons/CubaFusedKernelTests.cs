namespace SpikeInit.Tests;

/// <summary>
/// Parity of the fused current-based LIF kernel (<see cref="CubaLifSequence"/>) with <see cref="CubaLif.Step"/> stepped
/// once per step and differentiated by autograd, as <see cref="FusedKernelTests"/> checks the LIF kernel: spikes and
/// membranes bit for bit, input gradients to float32 rounding (2e-5 of the largest gradient).
/// </summary>
public class CubaFusedKernelTests
{
    public static TheoryData<bool, SpikeCondition, bool, double> Variants()
    {
        var data = new TheoryData<bool, SpikeCondition, bool, double>();
        foreach (bool reset in new[] { true, false })
            foreach (SpikeCondition condition in Enum.GetValues<SpikeCondition>())
                foreach (bool detach in new[] { false, true })
                    foreach (double initial in new[] { 0.0, 1.25 })      // 1.25 > θ: a spike (and its reset) at step 0
                        data.Add(reset, condition, detach, initial);
        return data;
    }

    private static CubaLifNeuron Cuba(bool reset, SpikeCondition condition, bool detach, double initial, Surrogate? surrogate = null) =>
        new(new CubaLifParameters(reset: reset, spike: new SpikeOptions(condition, detach), initialMembrane: initial), surrogate ?? new SuperSpike(20));

    [Theory]
    [MemberData(nameof(Variants))]
    public void Fused_CUBA_LIF_matches_the_step_kernel_in_values_and_gradients(bool reset, SpikeCondition condition, bool detach, double initial)
    {
        CubaLifNeuron neuron = Cuba(reset, condition, detach, initial);
        FusedKernelTests.CheckParity(neuron, [9, 3, 37], constantInput: false, seed: 11, spiking: reset);     // 111 neurons: ragged
        FusedKernelTests.CheckParity(neuron, [6, 4, 29], constantInput: true, seed: 12, spiking: reset);      // time stride 0
    }

    [Fact]
    public void Fused_CUBA_LIF_matches_on_short_sequences_and_in_parallel()
    {
        FusedKernelTests.CheckParity(Cuba(true, SpikeCondition.Greater, false, 1.5), [3, 2, 13], constantInput: false, seed: 13);
        FusedKernelTests.CheckParity(Cuba(true, SpikeCondition.Greater, false, 1.5), [4, 2, 13], constantInput: false, seed: 14);
        // T = 3: only x_0 reaches an output (U_3). 6 · 8 · 4100 element-steps: several workers, the last chunk ragged.
        FusedKernelTests.CheckParity(Cuba(true, SpikeCondition.GreaterOrEqual, false, 0.0), [6, 8, 4100], constantInput: false, seed: 15);
        FusedKernelTests.CheckParity(Cuba(true, SpikeCondition.Greater, true, 0.0, new ArcTan(2)), [6, 8, 4100], constantInput: true, seed: 16);
    }

    [Fact]
    public void Stork_network_gives_the_same_output_and_gradients_fused_or_stepped()
    {
        NetworkSpec Spec(bool fast)
        {
            var hidden = new CubaLifNeuron() with { FastPath = fast };
            var readout = new CubaLifNeuron(new CubaLifParameters(reset: false, initialMembrane: -1e-3)) with { FastPath = fast };
            return NetworkSpec.Builder(23).Dense(19, hidden, bias: false).Dense(17, hidden, bias: false)
                .DenseReadout(5, readout, bias: false).WithReadout(Readout.MaxOverTime).Build();
        }
        using var g0 = new Generator(17);
        Tensor x = (rand([30, 6, 23], generator: g0) < 0.3).to(ScalarType.Float32);
        FusedKernelTests.CheckNetworkParity(Spec, x, seed: 18, gain: 6, spikingLayer: 0);
    }
}
