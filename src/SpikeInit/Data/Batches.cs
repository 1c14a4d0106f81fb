using static TorchSharp.torch;

namespace SpikeInit.Data;

/// <summary>Splitting and batching to tensors.</summary>
public static class Batches
{
    /// <summary>A seeded split of a training set into training and validation parts.</summary>
    public static (ImageSet Train, ImageSet Validation) Split(ImageSet set, double validationFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(set);
        var (train, validation) = Split(set.Count, validationFraction, seed);
        return (set.Subset(train, set.Name + "/train"), set.Subset(validation, set.Name + "/validation"));
    }

    /// <summary>
    /// A seeded split of item indices 0..count−1: a random permutation, the first round(fraction·count) of it for
    /// validation, the rest for training.
    /// </summary>
    public static (int[] Train, int[] Validation) Split(int count, double validationFraction, ulong seed)
    {
        Validate.InRange(validationFraction, "validation_fraction", 0, 1, highOpen: true);
        int[] order = new PortableRandom(seed).Permutation(count);
        int nValid = (int)Math.Round(validationFraction * count);
        return (order[nValid..], order[..nValid]);
    }

    /// <summary>A reduced run's training items: <paramref name="limit"/> of 0..count−1 drawn without replacement (seeded).</summary>
    public static int[] Limit(int count, int limit, ulong seed) => [.. new PortableRandom(seed ^ 0x5EED).Permutation(count).Take(limit)];

    /// <summary>
    /// Mini-batches <c>(x [B, H·W] float32, y [B] int64)</c> in a seeded random order (null: file order); pixels normalized
    /// with <paramref name="normalization"/> (standardization uses <paramref name="statistics"/>, e.g. the training split's).
    /// </summary>
    public static IEnumerable<(Tensor X, Tensor Y)> Images(ImageSet set, int batchSize, ulong? shuffleSeed = null,
                                                           Normalization normalization = Normalization.UnitRange,
                                                           (double Mean, double Std)? statistics = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        Validate.AtLeast(batchSize, "batch_size", 1);
        var (mean, std) = normalization == Normalization.Standardized ? statistics ?? set.PixelStatistics() : (0.0, 1.0);
        int[] order = shuffleSeed is { } s ? new PortableRandom(s).Permutation(set.Count) : [.. Enumerable.Range(0, set.Count)];
        for (int start = 0; start < set.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, set.Count - start);
            var x = new float[n * set.Pixels];
            var y = new long[n];
            for (int i = 0; i < n; i++)
            {
                int item = order[start + i];
                y[i] = set.Labels[item];
                for (int p = 0; p < set.Pixels; p++) x[i * set.Pixels + p] = (float)((set.Images[(long)item * set.Pixels + p] / 255.0 - mean) / std);
            }
            yield return (tensor(x, [n, set.Pixels]), tensor(y));
        }
    }

    /// <summary>Mini-batches of spike rasters <c>(x [T, B, units] float32, y [B] int64)</c> in a seeded random order.</summary>
    public static IEnumerable<(Tensor X, Tensor Y)> Spikes(SpikeSet set, int batchSize, ulong? shuffleSeed = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        Validate.AtLeast(batchSize, "batch_size", 1);
        int[] order = shuffleSeed is { } s ? new PortableRandom(s).Permutation(set.Count) : [.. Enumerable.Range(0, set.Count)];
        int frame = set.Steps * set.Units;
        for (int start = 0; start < set.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, set.Count - start);
            var x = new float[n * frame];
            var y = new long[n];
            for (int i = 0; i < n; i++)
            {
                y[i] = set.Labels[order[start + i]];
                byte[] raster = set.Rasters[order[start + i]];
                for (int j = 0; j < frame; j++) x[i * frame + j] = raster[j];
            }
            yield return (tensor(x, [n, set.Steps, set.Units]).transpose(0, 1).contiguous(), tensor(y));
        }
    }

    /// <summary>
    /// Mini-batches of N-MNIST recordings <c>(x [T, B, 2, 34, 34] float32, y [B] int64)</c>, each file read and framed into
    /// <paramref name="steps"/> time bins (<see cref="NMnist.Frames"/>) when its batch is made, in a seeded random order.
    /// </summary>
    public static IEnumerable<(Tensor X, Tensor Y)> Events(IReadOnlyList<(string Path, int Label)> items, int batchSize, int steps,
                                                           ulong? shuffleSeed = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        Validate.AtLeast(batchSize, "batch_size", 1);
        int frame = NMnist.CheckSteps(steps) * NMnist.FrameSize;
        if ((long)Math.Min(batchSize, items.Count) * frame > Array.MaxLength)
            throw new ArgumentException($"a batch of {Math.Min(batchSize, items.Count)} recordings of {steps} steps needs more than {Array.MaxLength} values; batch_size x steps must stay under {Array.MaxLength / NMnist.FrameSize}");
        int[] order = shuffleSeed is { } s ? new PortableRandom(s).Permutation(items.Count) : [.. Enumerable.Range(0, items.Count)];
        for (int start = 0; start < items.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, items.Count - start);
            var x = new float[n * frame];
            var y = new long[n];
            for (int i = 0; i < n; i++)
            {
                var (path, label) = items[order[start + i]];
                y[i] = label;
                NMnist.Fill(NMnist.Read(path), steps, x.AsSpan(i * frame, frame));
            }
            yield return (tensor(x, [n, steps, 2, NMnist.Size, NMnist.Size]).transpose(0, 1).contiguous(), tensor(y));
        }
    }
}
