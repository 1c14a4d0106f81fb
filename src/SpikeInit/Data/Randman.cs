namespace SpikeInit.Data;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small portable generator, so synthetic datasets are identical on every
/// machine and .NET version for the same seed (System.Random's algorithm is not guaranteed).
/// </summary>
public sealed class PortableRandom
{
    private ulong s0, s1, s2, s3;

    /// <summary>Seeds the four state words with SplitMix64.</summary>
    public PortableRandom(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x);
        s1 = SplitMix(ref x);
        s2 = SplitMix(ref x);
        s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) (Lemire's rejection, unbiased).</summary>
    public int Next(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be positive");
        ulong bound = (ulong)n, threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong r = NextUInt64();
            if (r >= threshold) return (int)(r % bound);
        }
    }

    /// <summary>Fisher–Yates shuffle of indices 0..n−1.</summary>
    public int[] Permutation(int n)
    {
        int[] p = [.. Enumerable.Range(0, n)];
        for (int i = n - 1; i > 0; i--)
        {
            int j = Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}

/// <summary>Parameters of the Randman dataset (Zenke &amp; Vogels 2021, as stork's <c>make_tempo_randman</c>); defaults are the paper's.</summary>
public sealed record RandmanParameters
{
    /// <summary>Classes (10).</summary>
    public int Classes { get; init => field = Validate.AtLeast(value, "classes", 1); } = 10;
    /// <summary>Input units (20).</summary>
    public int Units { get; init => field = Validate.AtLeast(value, "units", 1); } = 20;
    /// <summary>Time steps (100 of 2 ms: 100 ms of spikes, then 100 ms of silence).</summary>
    public int Steps { get; init => field = Validate.AtLeast(value, "steps", 1); } = 100;
    /// <summary>Fraction of the steps that carry spikes (0.5).</summary>
    public double StepFraction { get; init => field = Validate.InRange(value, "step_fraction", 0, 1, lowOpen: true); } = 0.5;
    /// <summary>Manifold dimension D (1).</summary>
    public int Dimensions { get; init => field = Validate.AtLeast(value, "dimensions", 1); } = 1;
    /// <summary>Spikes per unit m (1).</summary>
    public int SpikesPerUnit { get; init => field = Validate.AtLeast(value, "spikes_per_unit", 1); } = 1;
    /// <summary>Samples per class P (1000).</summary>
    public int SamplesPerClass { get; init => field = Validate.AtLeast(value, "samples_per_class", 1); } = 1000;
    /// <summary>Smoothness α of the manifolds (1).</summary>
    public double Alpha { get; init => field = Validate.Positive(value, "alpha"); } = 1.0;
    /// <summary>Seed (1).</summary>
    public ulong Seed { get; init; } = 1;
    /// <summary>Time step dt in seconds (2 ms).</summary>
    public double Dt { get; init => field = Validate.Positive(value, "dt"); } = 2e-3;
}

/// <summary>
/// Randman (Zenke &amp; Vogels 2021; spec fluctuation_driven.md §10.1): per class a random smooth manifold maps P
/// coordinates x ∈ [0, 1)^D to one spike time per unit. Per (class, spike index) a manifold has
/// <c>K = min(⌈10^{3/α}⌉, 1000)</c> Fourier terms with a, f, φ ~ U[0, 1) (a₀ = 0) and spectrum
/// <c>s_j = 1/((j + 1)^α + 1)</c>: <c>y = Π_d Σ_j a s_j sin(2π(j x f + φ))</c>, min-max normalized per unit over the
/// class's samples; a spike of unit u at step <c>⌊Steps·StepFraction·y⌋</c>. Classes are concatenated, shuffled, and
/// split 80/10/10. All randomness comes from <see cref="PortableRandom"/> seeded with <see cref="RandmanParameters.Seed"/>,
/// so the dataset is the same bit for bit wherever it is generated (numpy's stream cannot be reproduced; only the algorithm is stork's).
/// </summary>
public static class Randman
{
    /// <summary>The manifold value <c>Σ_j a_j s_j sin(2π(j x f_j + φ_j))</c> for one dimension (spec §12.7 test vector).</summary>
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

/// <summary>Labelled spike rasters: per sample a dense <c>Steps × Units</c> 0/1 array.</summary>
/// <param name="Name">Name.</param>
/// <param name="Rasters">One <c>Steps·Units</c> array per sample (row-major, time first).</param>
/// <param name="Labels">Class per sample.</param>
/// <param name="Steps">Time steps.</param>
/// <param name="Units">Input channels.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="Dt">Seconds per step.</param>
public sealed record SpikeSet(string Name, byte[][] Rasters, byte[] Labels, int Steps, int Units, int Classes, double Dt)
{
    /// <summary>Number of samples.</summary>
    public int Count => Labels.Length;

    /// <summary>Samples per class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (byte l in Labels) counts[l]++;
        return counts;
    }

    /// <summary>Mean rate per input unit in Hz.</summary>
    public double MeanRateHz() => Rasters.Sum(r => r.Sum(b => (double)b)) / ((double)Count * Units * Steps * Dt);
}
