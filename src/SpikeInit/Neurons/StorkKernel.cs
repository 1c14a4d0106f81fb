using SpikeInit.Theory;

namespace SpikeInit.Neurons;

/// <summary>
/// stork's sampling of a current-based neuron's PSP kernel (docs/THEORY.md §F3.2): ⌊10·τ_max/dt⌋ samples of the membrane's
/// response to a unit current, starting at the step the current reaches the synaptic variable (k[0] = 0) — one step after
/// it enters the input buffer of <see cref="CubaLif.Step"/>, so the first recorded step is dropped.
/// </summary>
internal static class StorkKernel
{
    /// <summary>The kernel of <paramref name="free"/> (a model that does not reset) on current channel <paramref name="channel"/>.</summary>
    public static double[] Sample(Neuron free, double longestTau, double dt, int channel = 0)
    {
        double length = Math.Floor(10 * longestTau / dt);
        if (length > 10_000_000)
            throw new ArgumentOutOfRangeException(nameof(dt), dt, $"dt = {Validate.Format(dt)} s is too small for tau = {Validate.Format(longestTau)} s: the kernel would need {length:G3} steps (at most 1e7)");
        return free.ImpulseResponse((int)length + 1, channel)[1..];
    }

    /// <summary>
    /// ε̄, ε̂ of a synaptic pool with time constant <paramref name="tauSyn"/>: the continuous closed form (analytical) or the
    /// <see cref="Sample"/>d kernel of <paramref name="model"/> on <paramref name="channel"/> times <paramref name="sign"/>,
    /// integrated with dt (numerical, stork's default).
    /// </summary>
    public static KernelIntegrals Integrals(Neuron model, double tauMem, double tauSyn, double dt, EpsilonMode mode, int channel = 0, double sign = 1) =>
        Validate.Defined(mode, "epsilon_mode") == EpsilonMode.Analytical
            ? FluctuationTheory.AnalyticalEpsilon(tauMem, tauSyn)
            : FluctuationTheory.Integrate([.. Sample(model, Math.Max(tauMem, tauSyn), dt, channel).Select(k => sign * k)], dt);
}
