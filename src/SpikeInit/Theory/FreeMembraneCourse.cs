using MathNet.Numerics.Distributions;

namespace SpikeInit.Theory;

/// <summary>
/// The time course of a current-based neuron's membrane from rest, driven from step 0 on by spike input (docs/THEORY.md
/// §F4.1): with <c>k_j</c> the membrane's response at step j to a unit current at step 0, the partial sums
/// <c>K_t = Σ_{j≤t} k_j</c>, <c>Q_t = Σ_{j≤t} k_j²</c> and <c>C_t = Σ_{j&lt;t} k_j k_{j+1}</c> give Campbell's theorem step by
/// step for the free membrane: <c>E[U_t] = μ K_t</c>, <c>Var[U_t] = s² K_t² + v Q_t</c> and <c>Cov[U_{t−1}, U_t] = v C_t</c>
/// for one neuron, where μ is the mean current per step, s² the variance across neurons of each neuron's mean current
/// (its weights) and v the per-step shot-noise variance of the current. Without reset a neuron fires whenever
/// <c>U_t &gt; θ</c> (the Gaussian tail); with reset it fires once per excursion above θ, estimated by the free membrane's
/// up-crossing probability <c>P(U_{t−1} ≤ θ &lt; U_t)</c> (bivariate normal, per quantile of the neuron's mean). Stationary
/// values are the limits K_∞, Q_∞, C_∞ (K_∞Δt, Q_∞Δt are stork's ε̄, ε̂). The membrane moments are exact for the free
/// membrane; the reset lowers them by the spikes' share (small at the fluctuation-driven regime's low rates).
/// </summary>
public static class FreeMembraneCourse
{
    /// <summary>Quantile nodes over the per-neuron mean for the stationary rate moments.</summary>
    private const int Nodes = 256;

    /// <summary>
    /// Predicts steps 0 … <paramref name="steps"/> − 1 and the stationary regime.
    /// </summary>
    /// <param name="kernel">The membrane's response to a unit current at step 0, long enough to have decayed (its last entry ≤ 10⁻⁹ of its peak, else the stationary values are marked not converged).</param>
    /// <param name="currentMean">μ: mean current per step (over neurons and time).</param>
    /// <param name="quenchedVariance">s² ≥ 0: variance across neurons of each neuron's mean current per step.</param>
    /// <param name="shotVariance">v ≥ 0: variance of the current per step around the neuron's mean (uncorrelated over steps).</param>
    /// <param name="theta">Threshold θ &gt; 0.</param>
    /// <param name="steps">Steps of the predicted time course, ≥ 1.</param>
    /// <param name="reset">Whether the neuron resets after a spike (firing = up-crossings) or not (firing = U &gt; θ).</param>
    public static MeanFieldCourse Predict(IReadOnlyList<double> kernel, double currentMean, double quenchedVariance, double shotVariance,
                                          double theta, int steps, bool reset = true)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (kernel.Count < 2) throw new ArgumentException("the kernel needs at least 2 steps", nameof(kernel));
        Validate.Finite(currentMean, "current mean");
        Validate.InRange(quenchedVariance, "quenched variance", 0, double.MaxValue);
        Validate.InRange(shotVariance, "shot variance", 0, double.MaxValue);
        Validate.Positive(theta, "theta");
        Validate.AtLeast(steps, "steps", 1);
        var mean = new double[steps];
        var variance = new double[steps];
        var fire = new double[steps];
        var z = new double[Nodes];
        for (int i = 0; i < Nodes; i++) z[i] = Normal.InvCDF(0, 1, (i + 0.5) / Nodes);
        double s = Math.Sqrt(quenchedVariance);
        // per-neuron firing probability at a step whose membrane has mean `now` and (shot) variance `vNow`, the step before
        // `before`/`vBefore`, covariance `c`; averaged over the quantiles of the neuron's mean current
        double Fire(double k, double q, double kBefore, double qBefore, double c)
        {
            double sum = 0;
            foreach (double zi in z)
            {
                double m = currentMean + s * zi;
                sum += reset ? UpCrossing(theta, m * kBefore, shotVariance * qBefore, m * k, shotVariance * q, shotVariance * c) : Tail(theta, m * k, shotVariance * q);
            }
            return sum / Nodes;
        }
        double kSum = 0, qSum = 0, cSum = 0, kPrev = 0, qPrev = 0;
        for (int t = 0; t < Math.Max(steps, kernel.Count); t++)
        {
            double kt = t < kernel.Count ? kernel[t] : 0;
            if (t > 0) cSum += kernel[t - 1] * kt;
            kPrev = kSum;
            qPrev = qSum;
            kSum += kt;
            qSum += kt * kt;
            if (t >= steps) continue;
            mean[t] = currentMean * kSum;
            variance[t] = quenchedVariance * kSum * kSum + shotVariance * qSum;
            fire[t] = Fire(kSum, qSum, kPrev, qPrev, cSum);
        }
        double peak = kernel.Max(Math.Abs);
        bool converged = Math.Abs(kernel[^1]) <= 1e-9 * peak;
        int window = kernel.Count;
        double rate = 0, rateSquare = 0, silent = 0, saturated = 0;
        foreach (double zi in z)
        {
            double m = currentMean + s * zi;
            double r = reset ? UpCrossing(theta, m * kSum, shotVariance * qSum, m * kSum, shotVariance * qSum, shotVariance * cSum) : Tail(theta, m * kSum, shotVariance * qSum);
            rate += r;
            rateSquare += r * r;
            silent += Math.Pow(1 - r, window);
            saturated += Math.Pow(r, window);
        }
        double spread = s * kSum, noise = shotVariance * qSum;
        var stationary = new MeanFieldStationary(currentMean * kSum, spread * spread + noise, rate / Nodes, rateSquare / Nodes,
                                                 silent / Nodes, saturated / Nodes, window, 2 * window, converged);
        return new MeanFieldCourse(currentMean, Math.Sqrt(quenchedVariance + shotVariance), mean, variance, fire, stationary);
    }

    /// <summary>
    /// P(X ≤ θ &lt; Y) for jointly normal X ~ N(mx, vx), Y ~ N(my, vy) with covariance c: Simpson's rule over X's standard
    /// score on [−8, (θ − mx)/√vx] of φ(ξ)·P(Y &gt; θ | X).
    /// </summary>
    private static double UpCrossing(double theta, double mx, double vx, double my, double vy, double c)
    {
        if (!(vx > 0)) return mx <= theta ? Tail(theta, my, vy) : 0;
        double sx = Math.Sqrt(vx), upper = (theta - mx) / sx;
        if (upper <= -8) return 0;
        double slope = c / sx, conditional = Math.Max(vy - c * c / vx, 0);
        const int intervals = 96;
        double h = (upper + 8) / intervals, sum = 0;
        for (int i = 0; i <= intervals; i++)
        {
            double xi = -8 + i * h;
            double f = Math.Exp(-0.5 * xi * xi) * Tail(theta, my + slope * xi, conditional);
            sum += f * (i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3 / Math.Sqrt(2 * Math.PI);
    }

    private static double Tail(double theta, double mean, double variance) =>
        variance > 0 ? Gaussian.Tail((theta - mean) / Math.Sqrt(variance)) : mean > theta ? 1 : 0;
}
