namespace SpikeInit.Tests;

/// <summary>
/// Parity of the fused excitatory/inhibitory current-based kernel (<see cref="CubaExcInhSequence"/>) with
/// <see cref="CubaExcInhLif.Step"/> stepped once per step and differentiated by autograd, as <see cref="CubaFusedKernelTests"/>
/// checks the one-pool kernel: spikes and membranes bit for bit, input gradients (both pools) to float32 rounding
/// (2e-5 of the largest gradient). The E/I kernel always resets; its variants are the spike condition, the detach switch
/// and the pools' time constants (equal or distinct decays).
/// </summary>
public class CubaExcInhFusedKernelTests
{
    public static TheoryData<SpikeCondition, bool, double> Variants()
    {
        var data = new TheoryData<SpikeCondition, bool, double>();
        foreach (SpikeCondition condition in Enum.GetValues<SpikeCondition>())
            foreach (bool detach in new[] { false, true })
                foreach (double tauInh in new[] { 10e-3, 35e-3 })      // 10 ms: the pools decay alike
                    data.Add(condition, detach, tauInh);
        return data;
    }

    private static CubaExcInhNeuron ExcInh(SpikeCondition condition, bool detach, double tauInh = 20e-3, Surrogate? surrogate = null) =>
        new(new CubaExcInhParameters(tauInh: tauInh, spike: new SpikeOptions(condition, detach)), surrogate ?? new SuperSpike(20));

    [Theory]
    [MemberData(nameof(Variants))]
    public void Fused_E_I_CUBA_LIF_matches_the_step_kernel_in_values_and_gradients(SpikeCondition condition, bool detach, double tauInh)
    {
        CubaExcInhNeuron neuron = ExcInh(condition, detach, tauInh);
        FusedKernelTests.CheckParity(neuron, [12, 3, 74], constantInput: false, seed: 21);     // 3 · 37 neurons: ragged
        FusedKernelTests.CheckParity(neuron, [8, 4, 58], constantInput: true, seed: 22);       // time stride 0
        FusedKernelTests.CheckParity(neuron, [7, 2, 6, 3, 5], constantInput: false, seed: 23); // conv-shaped [T, B, 2C, H, W]
    }

    [Fact]
    public void Fused_E_I_CUBA_LIF_matches_on_short_sequences_and_in_parallel()
    {
        // T = 3: only x_0 reaches an output (U_3); T = 4: it reaches a spike as well. Below 3 no output depends on the input.
        foreach (long steps in new long[] { 3, 4 })
            FusedKernelTests.CheckParity(ExcInh(SpikeCondition.Greater, false), [steps, 2, 26], constantInput: false, seed: 24, spiking: false);
        using (no_grad())
        {
            Tensor x = randn([2, 3, 10], generator: new Generator(30));
            var (s, u) = ExcInh(SpikeCondition.Greater, false).Sequence(x, membrane: true);
            var (s0, u0) = SpikeInit.Neurons.Neuron.Steps(ExcInh(SpikeCondition.Greater, false), x, membrane: true);
            Assert.True(s.eq(s0).all().item<bool>() && u!.eq(u0!).all().item<bool>(), "T = 2 differs");
        }
        // 6 · 8 · 4100 element-steps per pool: several workers, the last chunk ragged.
        FusedKernelTests.CheckParity(ExcInh(SpikeCondition.GreaterOrEqual, false), [6, 8, 8200], constantInput: false, seed: 25);
        FusedKernelTests.CheckParity(ExcInh(SpikeCondition.Greater, true, 35e-3, new ArcTan(2)), [6, 8, 8200], constantInput: true, seed: 26);
    }

    [Fact]
    public void Fused_E_I_CUBA_LIF_falls_back_to_the_step_loop_where_it_does_not_apply()
    {
        var neuron = ExcInh(SpikeCondition.Greater, true);
        Assert.False(CubaExcInhSequence.Supports(zeros(4, 2, 5), neuron.Parameters));                 // odd channel count
        Assert.False(CubaExcInhSequence.Supports(zeros([4, 2, 6], ScalarType.Float64), neuron.Parameters));
        Assert.False(CubaExcInhSequence.Supports(zeros(4, 6), neuron.Parameters));                    // no pool dimension
        Assert.Throws<ArgumentException>(() => CubaExcInhSequence.Run(zeros(4, 2, 5), neuron.Parameters, neuron.Surrogate, membrane: false));
        using var scope = NewDisposeScope();
        Tensor x = randn([5, 2, 8], generator: new Generator(27));
        var (fast, _) = neuron.Sequence(x.to(ScalarType.Float64), membrane: false);                   // float64: the step loop
        var (plain, _) = SpikeInit.Neurons.Neuron.Steps(neuron, x.to(ScalarType.Float64), membrane: false);
        Assert.True(fast.eq(plain).all().item<bool>());
    }

    [Fact]
    public void E_I_network_gives_the_same_output_and_gradients_fused_or_stepped()
    {
        NetworkSpec Spec(bool fast)
        {
            var hidden = new CubaExcInhNeuron() with { FastPath = fast };
            var readout = new CubaLifNeuron(new CubaLifParameters(reset: false, initialMembrane: -1e-3)) with { FastPath = fast };
            return NetworkSpec.Builder(23).Dense(19, hidden, bias: false).Dense(17, hidden, bias: false)
                .DenseReadout(5, readout, bias: false).WithReadout(Readout.MaxOverTime).Build();
        }
        using var g0 = new Generator(28);
        Tensor x = (rand([30, 6, 23], generator: g0) < 0.3).to(ScalarType.Float32);
        FusedKernelTests.CheckNetworkParity(Spec, x, seed: 29, gain: 6, spikingLayer: 1);
    }
}
