using MathNet.Numerics.Distributions;

namespace SpikeInit.Theory;

/// <summary>
/// Mean field over time for a recurrent layer of discrete LIF-family neurons (docs/THEORY.md §S3.3 addendum). Neuron i
/// receives <c>I_t = m_i(t) + ξ_t</c>: a per-neuron mean <c>m_i = μ_in + n μ_W f_{t−1} + z_i·√(σ²_in,q + n σ_W² q_{t−1})</c>
/// (z_i ~ N(0, 1) fixed per neuron: the row sums of its weights) and a per-step Gaussian fluctuation of variance
/// <c>σ²_in,t + n E[W²](f_{t−1} − q_{t−1})</c>, where f is the population's firing probability and q the mean squared
/// per-neuron firing probability (a neuron that always or never fires adds no fluctuation). The membrane density of each
/// quantile z_i is propagated on a grid (a Markov chain over u: the reset's deterministic map, then the Gaussian step),
/// from rest, and f and q are fed back at every step: the rate the layer settles to from rest is the self-consistent
/// fixed point reached by the dynamics (the stable one a simulation from rest reaches, also when a silent and an active
/// state coexist). Spikes of different neurons are taken as independent over time (no synchrony).
/// </summary>
public static class RecurrentMeanField
{
    /// <summary>
    /// Predicts the layer's membrane mean and variance (over neurons and the per-step noise) and firing probability for
    /// steps 0 … <paramref name="steps"/> − 1 from rest, and their stationary values over the second half of
    /// <paramref name="horizon"/> steps.
    /// </summary>
    /// <param name="neuron">The neuron; its leak must be below 1 (a bounded membrane).</param>
    /// <param name="drive">Feed-forward and recurrent drive.</param>
    /// <param name="steps">Steps of the predicted time course, ≥ 1.</param>
    /// <param name="horizon">Steps for the stationary values, ≥ 4 (raised to <paramref name="steps"/>).</param>
    /// <param name="nodes">Quantile nodes over the per-neuron mean, ≥ 1.</param>
    /// <param name="grid">Grid cells over the membrane, ≥ 100 (refined when the per-step noise is narrower than 3 cells, up to 20 000).</param>
    public static MeanFieldCourse Layer(MeanFieldNeuron neuron, RecurrentDrive drive, int steps, int horizon = 400,
                                        int nodes = 64, int grid = 1200)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        ArgumentNullException.ThrowIfNull(drive);
        Validate.AtLeast(steps, "steps", 1);
        int h = Math.Max(Validate.AtLeast(horizon, "horizon", 4), steps);
        Validate.AtLeast(nodes, "nodes", 1);
        Validate.AtLeast(grid, "grid", 100);
        double alpha = neuron.Leak, theta = neuron.Theta, g = neuron.Gain;
        if (!(alpha < 1))
            throw new ArgumentException($"the recurrent mean field needs a leak beta < 1 (a bounded membrane), got {Validate.Format(alpha)}", nameof(neuron));
        int n = drive.RecurrentInputs;
        double w2 = drive.RecurrentSecondMoment;

        // grid: cell centres c_k = θ + (k − k0 + ½)·dx, so θ is a cell edge and "fired" is k ≥ k0
        double mMax = g * (Math.Abs(drive.InputMean) + n * Math.Abs(drive.RecurrentMean) + 6 * Math.Sqrt(drive.InputQuenchedVariance + n * drive.RecurrentVariance));
        double sMax = g * Math.Sqrt(drive.InputTemporalVariance + n * w2 / 4);
        double range = (mMax + 6 * sMax) / (1 - alpha) + theta + 1e-9;
        double sMin = g * Math.Sqrt(drive.InputTemporalVariance);
        double dx = 2 * range / grid;
        if (sMin > 0) dx = Math.Max(Math.Min(dx, sMin / 3), 2 * range / 20000);
        int k0 = (int)Math.Ceiling((range + theta) / dx);
        int cells = k0 + (int)Math.Ceiling(range / dx) + 1;
        double lo = theta - k0 * dx; // left edge of cell 0
        double Centre(int k) => lo + (k + 0.5) * dx;

        var z = new double[nodes];
        for (int i = 0; i < nodes; i++) z[i] = nodes == 1 ? 0 : Normal.InvCDF(0, 1, (i + 0.5) / nodes);
        var density = new double[nodes][];
        int rest = Math.Min((int)Math.Floor((0 - lo) / dx), k0 - 1);
        for (int i = 0; i < nodes; i++)
        {
            density[i] = new double[cells];
            density[i][rest] = 1;
        }
        var shifted = new double[cells];
        var held = new double[cells];
        // the deterministic part of the charge per cell: u' = c0_k + c1_k·x
        var c0 = new double[cells];
        var c1 = new double[cells];
        for (int k = 0; k < cells; k++)
        {
            c0[k] = neuron.Charge(Centre(k), k >= k0, 0);
            c1[k] = neuron.Charge(Centre(k), k >= k0, 1) - c0[k];
        }

        var mean = new double[steps];
        var variance = new double[steps];
        var fire = new double[steps];
        var nodeFire = new double[nodes];
        var windowFire = new double[nodes];
        int from = h / 2, middle = from + (h - from) / 2;
        Span<double> quarterF = stackalloc double[2], quarterU = stackalloc double[2], quarterU2 = stackalloc double[2];
        double f = 0, q = 0, lastMean = 0, lastSpread = 0;
        for (int t = 0; t < h; t++)
        {
            double spread = Math.Sqrt(drive.InputQuenchedVariance + n * drive.RecurrentVariance * q);
            double noise = g * Math.Sqrt(drive.InputTemporalVariance + n * w2 * Math.Max(f - q, 0));
            double[] kernel = Kernel(noise / dx);
            int half = kernel.Length / 2;
            double sumU = 0, sumU2 = 0, fNext = 0, qNext = 0;
            for (int i = 0; i < nodes; i++)
            {
                double m = g * (drive.InputMean + n * drive.RecurrentMean * f + spread * z[i]);
                double[] p = density[i];
                Array.Clear(shifted);
                Array.Clear(held);
                for (int k = 0; k < cells; k++)
                {
                    double mass = p[k];
                    if (mass < 1e-300) continue;
                    double target = c0[k] + c1[k] * m;
                    Deposit(c1[k] == 0 ? held : shifted, (target - lo) / dx - 0.5, mass);
                }
                Array.Clear(p);
                for (int k = 0; k < cells; k++)
                {
                    double mass = shifted[k];
                    if (mass < 1e-300) continue;
                    int a = Math.Max(k - half, 0), b = Math.Min(k + half, cells - 1);
                    for (int j = a; j <= b; j++) p[j] += mass * kernel[j - k + half];
                    // the kernel's tails beyond the grid stay at the edges
                    if (k - half < 0) for (int j = k - half; j < 0; j++) p[0] += mass * kernel[j - k + half];
                    if (k + half > cells - 1) for (int j = cells; j <= k + half; j++) p[cells - 1] += mass * kernel[j - k + half];
                }
                double fi = 0, u1 = 0, u2 = 0;
                for (int k = 0; k < cells; k++)
                {
                    p[k] += held[k];
                    double c = Centre(k);
                    u1 += p[k] * c;
                    u2 += p[k] * c * c;
                    if (k >= k0) fi += p[k];
                }
                nodeFire[i] = fi;
                fNext += fi;
                qNext += fi * fi;
                sumU += u1;
                sumU2 += u2;
                if (t >= from) windowFire[i] += fi;
            }
            f = fNext / nodes;
            q = qNext / nodes;
            double uMean = sumU / nodes, uVar = Math.Max(sumU2 / nodes - uMean * uMean, 0);
            if (t < steps)
            {
                mean[t] = uMean;
                variance[t] = uVar;
                fire[t] = f;
            }
            if (t >= from)
            {
                int w = t < middle ? 0 : 1;
                quarterF[w] += f;
                quarterU[w] += uMean;
                quarterU2[w] += uVar + uMean * uMean;
            }
            lastMean = g * (drive.InputMean + n * drive.RecurrentMean * f);
            lastSpread = g * Math.Sqrt(drive.InputQuenchedVariance + n * drive.RecurrentVariance * q + drive.InputTemporalVariance + n * w2 * Math.Max(f - q, 0));
        }
        int l0 = middle - from, l1 = h - middle;
        double stationaryFire = (quarterF[0] + quarterF[1]) / (h - from);
        double stationaryMean = (quarterU[0] + quarterU[1]) / (h - from);
        double stationaryVariance = Math.Max((quarterU2[0] + quarterU2[1]) / (h - from) - stationaryMean * stationaryMean, 0);
        double f0 = quarterF[0] / l0, f1 = quarterF[1] / l1;
        double v0 = quarterU2[0] / l0 - Sq(quarterU[0] / l0), v1 = quarterU2[1] / l1 - Sq(quarterU[1] / l1);
        bool converged = Math.Abs(f0 - f1) <= 8.0 / h && Math.Abs(v0 - v1) <= 0.05 * Math.Max(Math.Max(v0, v1), 1e-12);
        double window = h - from, silent = 0, saturated = 0, rateSquares = 0;
        foreach (double r in windowFire)
        {
            if (r < 1) silent++;
            if (r > window - 1) saturated++;
            rateSquares += r / window * (r / window);
        }
        var stationary = new MeanFieldStationary(stationaryMean, stationaryVariance, stationaryFire, rateSquares / nodes, silent / nodes,
                                                 saturated / nodes, from, h, converged);
        return new MeanFieldCourse(lastMean, lastSpread, mean, variance, fire, stationary);
    }

    /// <summary>Splits <paramref name="mass"/> at fractional cell index <paramref name="x"/> between the two nearest cells (clamped to the grid).</summary>
    private static void Deposit(double[] into, double x, double mass)
    {
        int last = into.Length - 1;
        if (x <= 0) { into[0] += mass; return; }
        if (x >= last) { into[last] += mass; return; }
        int k = (int)Math.Floor(x);
        double w = x - k;
        into[k] += mass * (1 - w);
        into[k + 1] += mass * w;
    }

    /// <summary>A Gaussian of standard deviation <paramref name="width"/> cells integrated over each cell, ±7σ, summing to 1.</summary>
    private static double[] Kernel(double width)
    {
        if (!(width > 1e-6)) return [1.0];
        int half = (int)Math.Ceiling(7 * width) + 1;
        var k = new double[2 * half + 1];
        double sum = 0;
        for (int j = -half; j <= half; j++)
        {
            k[j + half] = Normal.CDF(0, width, j + 0.5) - Normal.CDF(0, width, j - 0.5);
            sum += k[j + half];
        }
        for (int j = 0; j < k.Length; j++) k[j] /= sum;
        return k;
    }

    private static double Sq(double x) => x * x;
}
