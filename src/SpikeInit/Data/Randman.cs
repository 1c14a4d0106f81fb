namespace SpikeInit.Data;

/// <summary>
/// Randman (Zenke &amp; Vogels 2021; docs/THEORY.md §F10.1): per class a random smooth manifold maps P
/// coordinates x ∈ [0, 1)^D to one spike time per unit. Per (class, spike index) a manifold has
/// <c>K = min(⌈10^{3/α}⌉, 1000)</c> Fourier terms with a, f, φ ~ U[0, 1) (a₀ = 0) and spectrum
/// <c>s_j = 1/((j + 1)^α + 1)</c>: <c>y = Π_d Σ_j a s_j sin(2π(j x f + φ))</c>, min-max normalized per unit over the
/// class's samples; a spike of unit u at step <c>⌊Steps·StepFraction·y⌋</c>. Classes are concatenated, shuffled, and
/// split 80/10/10. All randomness comes from <see cref="PortableRandom"/> seeded with <see cref="RandmanParameters.Seed"/>,
/// so the dataset is the same bit for bit wherever it is generated (numpy's stream cannot be reproduced; only the algorithm is stork's).
/// </summary>
public static class Randman
{
    /// <summary>The manifold value <c>Σ_j a_j s_j sin(2π(j x f_j + φ_j))</c> for one dimension (docs/THEORY.md §F12.7 test vector).</summary>
    public static double Manifold(double x, IReadOnlyList<double> amplitude, IReadOnlyList<double> frequency, IReadOnlyList<double> phase, double alpha)
    {
        ArgumentNullException.ThrowIfNull(amplitude);
        ArgumentNullException.ThrowIfNull(frequency);
        ArgumentNullException.ThrowIfNull(phase);
        double sum = 0;
        for (int j = 0; j < amplitude.Count; j++)
            sum += amplitude[j] / (Math.Pow(j + 1, alpha) + 1) * Math.Sin(2 * Math.PI * (j * x * frequency[j] + phase[j]));
        return sum;
    }

    /// <summary>Fourier terms K of a manifold with smoothness α.</summary>
    public static int Terms(double alpha) => (int)Math.Min(Math.Ceiling(Math.Pow(1e-3, -1 / alpha)), 1000);

    /// <summary>Generates the dataset, split 80/10/10 (train, validation, test).</summary>
    public static (SpikeSet Train, SpikeSet Validation, SpikeSet Test) Generate(RandmanParameters? parameters = null)
    {
        RandmanParameters p = parameters ?? new RandmanParameters();
        var rng = new PortableRandom(p.Seed);
        ulong[,] seeds = new ulong[p.Classes, p.SpikesPerUnit];
        for (int k = 0; k < p.Classes; k++)
            for (int i = 0; i < p.SpikesPerUnit; i++) seeds[k, i] = rng.NextUInt64();
        int K = Terms(p.Alpha), total = p.Classes * p.SamplesPerClass;
        double[] spectrum = [.. Enumerable.Range(0, K).Select(j => 1 / (Math.Pow(j + 1, p.Alpha) + 1))];
        var rasters = new byte[total][];
        var labels = new byte[total];
        for (int k = 0; k < p.Classes; k++)
        {
            var x = new double[p.SamplesPerClass, p.Dimensions];
            for (int s = 0; s < p.SamplesPerClass; s++)
                for (int d = 0; d < p.Dimensions; d++) x[s, d] = rng.NextDouble();
            for (int s = 0; s < p.SamplesPerClass; s++)
            {
                rasters[k * p.SamplesPerClass + s] = new byte[p.Steps * p.Units];
                labels[k * p.SamplesPerClass + s] = (byte)k;
            }
            for (int i = 0; i < p.SpikesPerUnit; i++)
            {
                var manifold = new PortableRandom(seeds[k, i]);
                for (int u = 0; u < p.Units; u++)
                {
                    var a = new double[p.Dimensions, K];
                    var f = new double[p.Dimensions, K];
                    var phi = new double[p.Dimensions, K];
                    for (int d = 0; d < p.Dimensions; d++)
                        for (int j = 0; j < K; j++)
                        {
                            a[d, j] = j == 0 ? 0 : manifold.NextDouble();
                            f[d, j] = manifold.NextDouble();
                            phi[d, j] = manifold.NextDouble();
                        }
                    var y = new double[p.SamplesPerClass];
                    for (int s = 0; s < p.SamplesPerClass; s++)
                    {
                        double product = 1;
                        for (int d = 0; d < p.Dimensions; d++)
                        {
                            double sum = 0;
                            for (int j = 1; j < K; j++) sum += a[d, j] * spectrum[j] * Math.Sin(2 * Math.PI * (j * x[s, d] * f[d, j] + phi[d, j]));
                            product *= sum;
                        }
                        y[s] = product;
                    }
                    double min = y.Min(), max = y.Max();
                    for (int s = 0; s < p.SamplesPerClass; s++)
                    {
                        double normalized = (y[s] - min) / (max - min + 1e-7);
                        int t = Math.Min((int)(p.Steps * (p.StepFraction * normalized)), p.Steps - 1);
                        rasters[k * p.SamplesPerClass + s][t * p.Units + u] = 1;
                    }
                }
            }
        }
        int[] order = rng.Permutation(total);
        int nTrain = (int)(0.8 * total), nValid = (int)(0.1 * total);
        SpikeSet Take(int from, int count, string split) => new(
            $"randman/{split}", [.. order.Skip(from).Take(count).Select(i => rasters[i])], [.. order.Skip(from).Take(count).Select(i => labels[i])],
            p.Steps, p.Units, p.Classes, p.Dt);
        return (Take(0, nTrain, "train"), Take(nTrain, nValid, "validation"), Take(nTrain + nValid, total - nTrain - nValid, "test"));
    }
}
