using MathNet.Numerics.Distributions;

namespace SpikeInit.Theory;

/// <summary>
/// Mean field over time for one layer of discrete LIF-family neurons (docs/THEORY.md §L5). Each neuron receives a
/// current <c>I ~ N(μ_I, σ_I²)</c> drawn once and held constant over time (fixed weights, constant encoder input: the
/// probe's and Micheli's setting), so its trajectory <c>u_t(I)</c> is deterministic and the population at step t is a
/// mixture over I. The mixture is integrated by an equal-probability quadrature over I (node i at the quantile
/// <c>(i + ½)/N</c>) of the exact recursion of <see cref="MeanFieldNeuron.Charge"/> per node: no Gaussian assumption on
/// u, leak and reset included; the only error is the quadrature's, O(1/N) for the firing probability (each spike
/// boundary in I costs at most one node's weight 1/N).
/// </summary>
public static class MeanField
{
    /// <summary>Default number of quadrature nodes.</summary>
    public const int DefaultNodes = 8192;

    /// <summary>Default horizon for the stationary values.</summary>
    public const int DefaultHorizon = 1000;

    /// <summary>Quadrature nodes of the root search in <see cref="CurrentStdForRate"/>.</summary>
    public const int SearchNodes = 4096;

    /// <summary>Horizon of the root search in <see cref="CurrentStdForRate"/>.</summary>
    public const int SearchHorizon = 400;

    /// <summary>
    /// Predicts membrane mean, variance and firing probability for steps 0 … <paramref name="steps"/> − 1 and the
    /// stationary values over the second half of <paramref name="horizon"/> steps.
    /// </summary>
    /// <param name="neuron">The neuron.</param>
    /// <param name="currentMean">μ_I (finite).</param>
    /// <param name="currentStd">σ_I ≥ 0 (0: every neuron is the same, one node).</param>
    /// <param name="steps">Steps of the predicted time course, ≥ 1.</param>
    /// <param name="horizon">Steps simulated for the stationary values, ≥ 4 (raised to <paramref name="steps"/>).</param>
    /// <param name="nodes">Quadrature nodes, ≥ 1.</param>
    public static MeanFieldCourse Layer(MeanFieldNeuron neuron, double currentMean, double currentStd, int steps,
                                        int horizon = DefaultHorizon, int nodes = DefaultNodes)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        double[] inputs = Inputs(neuron, currentMean, currentStd, nodes);
        Validate.AtLeast(steps, "steps", 1);
        int h = Math.Max(Validate.AtLeast(horizon, "horizon", 4), steps);
        int from = h / 2, middle = from + (h - from) / 2;
        var mean = new double[steps];
        var m2 = new double[steps];
        var fire = new double[steps];
        // per node time averages over the two quarters of the window: [from, middle) and [middle, h)
        Span<double> sumU = stackalloc double[2], sumU2 = stackalloc double[2], sumS = stackalloc double[2];
        double silent = 0, saturated = 0, rateSquare = 0;
        for (int i = 0; i < inputs.Length; i++)
        {
            double x = inputs[i], u = 0;
            bool spiked = false;
            int windowSpikes = 0;
            double nodeU0 = 0, nodeU20 = 0, nodeS0 = 0, nodeU1 = 0, nodeU21 = 0, nodeS1 = 0;
            for (int t = 0; t < h; t++)
            {
                u = neuron.Charge(u, spiked, x);
                spiked = neuron.Fires(u);
                if (t < steps)
                {
                    // Welford over nodes, per step
                    double d = u - mean[t];
                    mean[t] += d / (i + 1);
                    m2[t] += d * (u - mean[t]);
                    if (spiked) fire[t]++;
                }
                if (t < from) continue;
                if (spiked) windowSpikes++;
                if (t < middle) { nodeU0 += u; nodeU20 += u * u; nodeS0 += spiked ? 1 : 0; }
                else { nodeU1 += u; nodeU21 += u * u; nodeS1 += spiked ? 1 : 0; }
            }
            sumU[0] += nodeU0 / (middle - from); sumU2[0] += nodeU20 / (middle - from); sumS[0] += nodeS0 / (middle - from);
            sumU[1] += nodeU1 / (h - middle); sumU2[1] += nodeU21 / (h - middle); sumS[1] += nodeS1 / (h - middle);
            double r = (double)windowSpikes / (h - from);
            rateSquare += r * r;
            if (windowSpikes == 0) silent++;
            if (windowSpikes == h - from) saturated++;
        }
        int n = inputs.Length;
        var variance = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            variance[t] = m2[t] / n;
            fire[t] /= n;
        }
        double w0 = (double)(middle - from) / (h - from), w1 = 1 - w0;
        double stationaryMean = (w0 * sumU[0] + w1 * sumU[1]) / n;
        double stationaryVariance = Math.Max((w0 * sumU2[0] + w1 * sumU2[1]) / n - stationaryMean * stationaryMean, 0);
        double stationaryFire = (w0 * sumS[0] + w1 * sumS[1]) / n;
        double var0 = sumU2[0] / n - Sq(sumU[0] / n), var1 = sumU2[1] / n - Sq(sumU[1] / n);
        bool converged = Math.Abs(sumS[0] - sumS[1]) / n <= 8.0 / h
                         && Math.Abs(var0 - var1) <= 0.05 * Math.Max(Math.Max(var0, var1), 1e-12)
                         && double.IsFinite(stationaryVariance);
        var stationary = new MeanFieldStationary(stationaryMean, stationaryVariance, stationaryFire, rateSquare / n, silent / n, saturated / n, from, h, converged);
        return new MeanFieldCourse(currentMean, currentStd, mean, variance, fire, stationary);
    }

    /// <summary>
    /// E[s_t s_{t'}] for t, t' &lt; <paramref name="steps"/>: the spikes' correlation across steps (equal-time entries are
    /// P(s_t = 1)). With fixed weights w of the next layer, its current <c>Σ_j w_j s_{j,t}</c> has covariance
    /// <c>n σ_w² E[s_t s_{t'}]</c> across neurons (zero-mean weights): what chaining through depth needs. Cost O(N steps²).
    /// </summary>
    public static double[][] SpikeCorrelation(MeanFieldNeuron neuron, double currentMean, double currentStd, int steps, int nodes = DefaultNodes)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        double[] inputs = Inputs(neuron, currentMean, currentStd, nodes);
        Validate.AtLeast(steps, "steps", 1);
        var c = new double[steps][];
        for (int t = 0; t < steps; t++) c[t] = new double[steps];
        var times = new List<int>(steps);
        foreach (double x in inputs)
        {
            times.Clear();
            double u = 0;
            bool spiked = false;
            for (int t = 0; t < steps; t++)
            {
                u = neuron.Charge(u, spiked, x);
                spiked = neuron.Fires(u);
                if (spiked) times.Add(t);
            }
            foreach (int a in times)
                foreach (int b in times)
                    c[a][b]++;
        }
        foreach (double[] row in c)
            for (int t = 0; t < steps; t++) row[t] /= inputs.Length;
        return c;
    }

    /// <summary>
    /// The variance of a current held constant per neuron that charges a subthreshold membrane (leak β) as much as a
    /// current with static variance <paramref name="staticVariance"/> across neurons plus temporally white fluctuations
    /// of variance <paramref name="fluctuationVariance"/>: <c>V_s + V_f (1 − β)/(1 + β)</c> (docs/THEORY.md §L6.2; a
    /// constant drives u by 1/(1 − β), white noise by 1/√(1 − β²)).
    /// </summary>
    public static double StaticEquivalentVariance(double staticVariance, double fluctuationVariance, double leak)
    {
        Validate.NonNegativeFinite(staticVariance, "static_variance");
        Validate.NonNegativeFinite(fluctuationVariance, "fluctuation_variance");
        Validate.InRange(leak, "beta", 0, 1);
        return staticVariance + fluctuationVariance * (1 - leak) / (1 + leak);
    }

    /// <summary>
    /// The σ_I of a per-neuron constant current N(μ_I, σ_I²) whose stationary firing probability
    /// (<see cref="MeanFieldStationary.FiringProbability"/>) is <paramref name="targetRate"/>: a bracketing search (doubling)
    /// and Illinois regula falsi on log σ_I, to |rate − target| ≤ max(10⁻⁴, 1/nodes). The rate grows with σ_I while
    /// g·μ_I ≤ θ; it stays below P(I &gt; 0) = Φ(μ_I/σ_I) → ½ for μ_I = 0, so larger targets report
    /// <see cref="RootStatus.TargetTooLarge"/>.
    /// </summary>
    public static Root CurrentStdForRate(MeanFieldNeuron neuron, double currentMean, double targetRate,
                                         int horizon = SearchHorizon, int nodes = SearchNodes)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        Validate.InRange(targetRate, "target_rate", 0, 1, lowOpen: true, highOpen: true);
        double Rate(double logStd) => Layer(neuron, currentMean, Math.Exp(logStd), 1, horizon, nodes).Stationary.FiringProbability - targetRate;
        double tolerance = Math.Max(1e-4, 1.0 / nodes);
        double start = Math.Log(neuron.Theta / neuron.Gain);
        double lo = start, hi = start, fLo = Rate(lo), fHi = fLo;
        for (int i = 0; fLo > 0; i++)
        {
            if (i == 40) return new Root(RootStatus.TargetTooSmall, double.NaN);
            hi = lo; fHi = fLo;
            lo -= Math.Log(2); fLo = Rate(lo);
        }
        for (int i = 0; fHi < 0; i++)
        {
            if (i == 40) return new Root(RootStatus.TargetTooLarge, double.NaN);
            lo = hi; fLo = fHi;
            hi += Math.Log(2); fHi = Rate(hi);
        }
        if (Math.Abs(fLo) <= tolerance) return new Root(RootStatus.Ok, Math.Exp(lo));
        int side = 0;
        for (int i = 0; i < 100 && hi - lo > 1e-9; i++)
        {
            double x = (lo * fHi - hi * fLo) / (fHi - fLo);
            if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
            double f = Rate(x);
            if (Math.Abs(f) <= tolerance) return new Root(RootStatus.Ok, Math.Exp(x));
            if (f < 0)
            {
                lo = x; fLo = f;
                if (side == -1) fHi /= 2;
                side = -1;
            }
            else
            {
                hi = x; fHi = f;
                if (side == 1) fLo /= 2;
                side = 1;
            }
        }
        return new Root(RootStatus.Ok, Math.Exp(0.5 * (lo + hi)));
    }

    /// <summary>The scaled inputs x_i = g·(μ_I + σ_I z_i) at the equal-probability nodes z_i = Φ⁻¹((i + ½)/N).</summary>
    private static double[] Inputs(MeanFieldNeuron neuron, double currentMean, double currentStd, int nodes)
    {
        Validate.Finite(currentMean, "current_mean");
        Validate.NonNegativeFinite(currentStd, "current_std");
        int n = currentStd == 0 ? 1 : Validate.AtLeast(nodes, "nodes", 1);
        var x = new double[n];
        for (int i = 0; i < n; i++)
        {
            double z = n == 1 ? 0 : Normal.InvCDF(0, 1, (i + 0.5) / n);
            x[i] = neuron.Gain * (currentMean + currentStd * z);
        }
        return x;
    }

    private static double Sq(double x) => x * x;
}
