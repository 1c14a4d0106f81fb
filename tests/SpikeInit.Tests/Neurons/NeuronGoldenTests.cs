namespace SpikeInit.Tests;

/// <summary>
/// Golden trajectories: one neuron, eight steps, hand-computed sequences (double precision) for every LIF reset variant
/// and both spike conditions. Sequence A has no exact threshold hits; B hits u = θ = 1 exactly, where the
/// conditions u &gt; θ and u ≥ θ differ. β = 0.5, θ = 1.
/// </summary>
public class LifGoldenTests
{
    private static readonly double[] A = [0.6, 0.9, 0.3, 1.2, 0.0, 0.5, 0.75, 0.2];
    private static readonly double[] B = [0.5, 0.75, 0.5, 0.75, 1.5, -0.5, 1.0, 0.25];

    internal static (double[] U, double[] S) Run(Neuron neuron, double[] inputs)
    {
        using var scope = NewDisposeScope();
        NeuronState state = neuron.InitialState([1], ScalarType.Float64, CPU);
        var u = new List<double>();
        var s = new List<double>();
        foreach (double x in inputs)
        {
            (Tensor spikes, state) = neuron.Step(T.Vec(x), state);
            u.Add(state.Membrane.item<double>());
            s.Add(spikes.item<double>());
        }
        return (u.ToArray(), s.ToArray());
    }

    public static TheoryData<LifReset, bool, string, double[], double[]> Cases() => new()
    {
        { LifReset.SubtractNextStep, false, "A", [0.6, 1.2, -0.1, 1.15, -0.425, 0.2875, 0.89375, 0.646875], [0, 1, 0, 1, 0, 0, 0, 0] },
        { LifReset.SubtractNextStep, false, "B", [0.5, 1.0, 1.0, 1.25, 1.125, -0.9375, 0.53125, 0.515625], [0, 0, 0, 1, 1, 0, 0, 0] },
        { LifReset.SubtractNextStep, true, "B", [0.5, 1.0, 0.0, 0.75, 1.875, -0.5625, 0.71875, 0.609375], [0, 1, 0, 0, 1, 0, 0, 0] },
        { LifReset.SubtractBeforeDecay, false, "A", [0.6, 1.2, 0.4, 1.4, 0.2, 0.6, 1.05, 0.225], [0, 1, 0, 1, 0, 0, 1, 0] },
        { LifReset.SubtractBeforeDecay, false, "B", [0.5, 1.0, 1.0, 1.25, 1.625, -0.1875, 0.90625, 0.703125], [0, 0, 0, 1, 1, 0, 0, 0] },
        { LifReset.SubtractBeforeDecay, true, "B", [0.5, 1.0, 0.5, 1.0, 1.5, -0.25, 0.875, 0.6875], [0, 1, 0, 1, 1, 0, 0, 0] },
        { LifReset.ZeroBeforeDecay, false, "A", [0.6, 1.2, 0.3, 1.35, 0.0, 0.5, 1.0, 0.7], [0, 1, 0, 1, 0, 0, 0, 0] },
        { LifReset.ZeroBeforeDecay, true, "A", [0.6, 1.2, 0.3, 1.35, 0.0, 0.5, 1.0, 0.2], [0, 1, 0, 1, 0, 0, 1, 0] },
        { LifReset.ZeroBeforeDecay, true, "B", [0.5, 1.0, 0.5, 1.0, 1.5, -0.5, 0.75, 0.625], [0, 1, 0, 1, 1, 0, 0, 0] },
        { LifReset.ZeroAfterInput, false, "A", [0.6, 1.2, 0.0, 1.2, 0.0, 0.5, 1.0, 0.7], [0, 1, 0, 1, 0, 0, 0, 0] },
        { LifReset.ZeroAfterInput, false, "B", [0.5, 1.0, 1.0, 1.25, 0.0, -0.5, 0.75, 0.625], [0, 0, 0, 1, 0, 0, 0, 0] },
        { LifReset.ZeroAfterInput, true, "B", [0.5, 1.0, 0.0, 0.75, 1.875, 0.0, 1.0, 0.0], [0, 1, 0, 0, 1, 0, 1, 0] },
        { LifReset.None, false, "A", [0.6, 1.2, 0.9, 1.65, 0.825, 0.9125, 1.20625, 0.803125], [0, 1, 0, 1, 0, 0, 1, 0] },
        { LifReset.None, true, "B", [0.5, 1.0, 1.0, 1.25, 2.125, 0.5625, 1.28125, 0.890625], [0, 1, 1, 1, 1, 0, 1, 0] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Lif_follows_the_hand_computed_trajectory(LifReset reset, bool greaterOrEqual, string sequence, double[] u, double[] s)
    {
        var options = new SpikeOptions(greaterOrEqual ? SpikeCondition.GreaterOrEqual : SpikeCondition.Greater);
        var neuron = new LifNeuron(new LifParameters(0.5, 1.0, reset, options));
        (double[] actualU, double[] actualS) = Run(neuron, sequence == "A" ? A : B);
        T.Close(u, actualU, 1e-12, "u");
        T.Close(s, actualS, 0, "s");
    }

    [Theory]
    [InlineData(false, -0.5)]
    [InlineData(true, 2.5)]
    public void Detaching_the_reset_removes_the_gradient_path_through_the_previous_spike(bool detach, double expected)
    {
        // Eq. 13, β = 0.5, θ = 1, smooth forward with arctan: u1 = β u0 + x1 − θ h(u0 − θ), u0 = x0.
        // du1/dx0 = β − θ h'(u0 − θ) = 0.5 − 1·1 (α = 2, x0 = θ) when the reset is in the graph, 0.5 when detached;
        // the loss L = u0 + 3 u1 gives dL/dx0 = 1 + 3·du1/dx0 = −0.5 (in the graph) or 2.5 (detached).
        var neuron = new LifNeuron(new LifParameters(0.5, 1.0, LifReset.SubtractNextStep,
                                                      new SpikeOptions(DetachReset: detach, SmoothForward: true)));
        Tensor x0 = T.Vec(1.0).requires_grad_(true);
        NeuronState state = neuron.InitialState([1], ScalarType.Float64, CPU);
        (_, state) = neuron.Step(x0, state);
        Tensor u0 = state.Membrane;
        (_, state) = neuron.Step(T.Vec(0.3), state);
        (u0 + 3 * state.Membrane).sum().backward();
        Assert.Equal(expected, x0.grad!.item<double>(), 12);
    }
}

public class KLambdaGoldenTests
{
    [Fact]
    public void Follows_Ding_Eq2_with_hard_reset()
    {
        // k = 0.8, λ = 0.2, θ = 1: u_t = k·v_t + λ·i_t, v_{t+1} = u_t (1 − o_t).
        var neuron = new KLambdaNeuron(new KLambdaParameters(0.8, 0.2, 1.0));
        (double[] u, double[] s) = LifGoldenTests.Run(neuron, [3, 3, 3, 6, 0, -2, 5.5, 5.5]);
        T.Close([0.6, 1.08, 0.6, 1.68, 0.0, -0.4, 0.78, 1.724], u, 1e-12, "u");
        T.Close([0, 1, 0, 1, 0, 0, 0, 1], s, 0, "s");
    }

    /// <summary>docs/THEORY.md §M-C3: exact discrete firing rates of Eq. 2 over T = 20 steps from v = 0, θ = 1.</summary>
    [Theory]
    [InlineData(1.0, 0.2, -1.0, 0.0)]
    [InlineData(1.0, 0.2, 0.3, 0.05)]
    [InlineData(1.0, 0.2, 0.7, 0.10)]
    [InlineData(1.0, 0.2, 1.2, 0.20)]
    [InlineData(1.0, 0.2, 1.7, 0.30)]
    [InlineData(1.0, 0.2, 2.2, 0.30)]
    [InlineData(1.0, 0.2, 3.3, 0.50)]
    [InlineData(1.0, 0.2, 4.6, 0.50)]
    [InlineData(1.0, 0.2, 5.3, 1.00)]
    [InlineData(1.0, 0.2, 5.8, 1.00)]
    [InlineData(0.8, 0.2, 0.7, 0.0)]
    [InlineData(0.8, 0.2, 1.2, 0.10)]
    [InlineData(0.8, 0.2, 1.7, 0.25)]
    [InlineData(0.8, 0.2, 2.2, 0.30)]
    [InlineData(0.8, 0.2, 3.3, 0.50)]
    [InlineData(0.8, 0.2, 4.6, 0.50)]
    [InlineData(0.8, 0.2, 5.3, 1.00)]
    [InlineData(0.8, 1.0, 0.3, 0.20)]
    [InlineData(0.8, 1.0, 0.7, 0.50)]
    [InlineData(1.0, 1.0, 0.3, 0.25)]
    [InlineData(1.0, 1.0, 0.7, 0.50)]
    public void Discrete_rate_matches_the_spec(double k, double lambda, double current, double rate)
    {
        var neuron = new KLambdaNeuron(new KLambdaParameters(k, lambda, 1.0));
        (_, double[] s) = LifGoldenTests.Run(neuron, Enumerable.Repeat(current, 20).ToArray());
        Assert.Equal(rate, s.Sum() / 20, 12);
    }
}

public class CubaGoldenTests
{
    private static CubaLifState Simulate(CubaLifParameters p, double[] inputs, List<double[]> rows)
    {
        using var scope = NewDisposeScope();
        CubaLifState state = CubaLif.Initial([1], ScalarType.Float64, CPU);
        var surrogate = new SuperSpike();
        foreach (double x in inputs)
        {
            (Tensor s, state) = CubaLif.Step(T.Vec(x), state, p, surrogate);
            rows.Add([s.item<double>(), state.U.item<double>(), state.I.item<double>()]);
        }
        return state;
    }

    /// <summary>docs/THEORY.md §F12.7: one input spike of weight w at step 0, dt = 1 ms, 20/10 ms.</summary>
    [Fact]
    public void Unit_input_spike_traces_the_discrete_kernel()
    {
        var rows = new List<double[]>();
        Simulate(new CubaLifParameters(1e-3, 20e-3, 10e-3), [1, 0, 0, 0, 0, 0, 0, 0], rows);
        T.Close([0, 0, 0.0487706, 0.0905214, 0.126037, 0.15602, 0.181103, 0.201851], rows.Select(r => r[1]).ToArray(), 5e-7, "U");
    }

    [Fact]
    public void Strong_input_spike_fires_once_and_resets_to_zero_as_stork_does()
    {
        var rows = new List<double[]>();
        Simulate(new CubaLifParameters(1e-3, 20e-3, 10e-3), [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], rows);
        T.Relative(0.905513, rows[6][1], 1e-5, "U after t=6");
        T.Relative(1.00925, rows[7][1], 1e-5, "U after t=7");
        Assert.Equal(1.0, rows[8][0]);                       // S[8] = H(U[8] − θ), U[8] = 1.00925
        Assert.Equal(0.0, rows[8][1]);                       // reset to zero discards the whole update
        T.Relative(0.121094, rows[9][1], 1e-5, "U after t=9");
        T.Relative(0.224758, rows[10][1], 1e-5, "U after t=10");
        T.Relative(2.48293, rows[8][2], 1e-5, "I after t=8");
        Assert.Equal(1.0, rows.Sum(r => r[0]));
    }

    [Fact]
    public void Excitatory_inhibitory_variant_follows_the_hand_computed_trajectory()
    {
        // dt 1 ms, τ_mem 20 ms, τ_exc 10 ms, τ_inh 5 ms; excitatory input 30 at step 0, inhibitory 8 at step 2.
        var p = new CubaExcInhParameters(1e-3, 20e-3, 10e-3, 5e-3);
        double[] expectedU = [0, 0, 1.4631172649785795, 0, 0.8077344962030215, 1.5328049888100912, 0, 0.6732986053003184,
                              1.2681249674793071, 0, 0.5399056446387513, 1.0122198174348727];
        double[] expectedS = [0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0];
        double[] expectedIi = [0, 0, 0, 8, 6.549846024623855, 5.362560368285114, 4.390493088752211, 3.594631712937772,
                               2.943035529371538, 2.409553695297616, 1.9727757115328513, 1.6151721439572426];
        CubaExcInhState state = CubaExcInhLif.Initial([1], ScalarType.Float64, CPU);
        var u = new List<double>();
        var s = new List<double>();
        var ii = new List<double>();
        for (int t = 0; t < 12; t++)
        {
            (Tensor spikes, state) = CubaExcInhLif.Step(T.Vec(t == 0 ? 30 : 0), T.Vec(t == 2 ? 8 : 0), state, p, new SuperSpike());
            u.Add(state.U.item<double>());
            s.Add(spikes.item<double>());
            ii.Add(state.Ii.item<double>());
        }
        T.Close(expectedU, u.ToArray(), 1e-12, "U");
        T.Close(expectedS, s.ToArray(), 0, "S");
        T.Close(expectedIi, ii.ToArray(), 1e-12, "Ii");
    }

    [Fact]
    public void Readout_without_reset_integrates_from_its_initial_membrane()
    {
        var p = new CubaLifParameters(1e-3, 20e-3, 10e-3, reset: false, initialMembrane: -1e-3);
        var rows = new List<double[]>();
        CubaLifState state = CubaLif.Initial([1], ScalarType.Float64, CPU, p.InitialMembrane);
        for (int t = 0; t < 4; t++)
        {
            (Tensor s, state) = CubaLif.Step(T.Vec(t == 0 ? 50 : 0), state, p, new SuperSpike());
            rows.Add([s.item<double>(), state.U.item<double>()]);
        }
        double lm = Math.Exp(-1.0 / 20);
        T.Close([-1e-3 * lm, -1e-3 * lm * lm, -1e-3 * lm * lm * lm + 50 * (1 - lm)], rows.Select(r => r[1]).Take(3).ToArray(), 1e-12);
        Assert.All(rows, r => Assert.Equal(0.0, r[0]));
    }
}
