namespace SpikeInit.Data;

/// <summary>Labelled images (unsigned bytes) with their provenance.</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="Images">Pixel bytes, <c>Count × Height × Width</c>, row-major.</param>
/// <param name="Labels">Class per image.</param>
/// <param name="Count">Number of images.</param>
/// <param name="Height">Image height.</param>
/// <param name="Width">Image width.</param>
/// <param name="Classes">Number of classes (labels are 0 … Classes − 1).</param>
public sealed record ImageSet(string Name, byte[] Images, byte[] Labels, int Count, int Height, int Width, int Classes)
{
    /// <summary>Pixels per image.</summary>
    public int Pixels => Height * Width;

    /// <summary>Images per class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (byte l in Labels) counts[l]++;
        return counts;
    }

    /// <summary>Pairs an IDX image array <c>[N, H, W]</c> with an IDX label array <c>[N]</c>, checking both.</summary>
    public static ImageSet FromIdx(string name, IdxArray images, IdxArray labels, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Shape.Length != 3) throw new InvalidDataException($"{name}: images must have 3 dimensions [N, H, W], got [{string.Join(", ", images.Shape)}]");
        if (labels.Shape.Length != 1) throw new InvalidDataException($"{name}: labels must have 1 dimension [N], got [{string.Join(", ", labels.Shape)}]");
        if (images.Count != labels.Count) throw new InvalidDataException($"{name}: {images.Count} images but {labels.Count} labels");
        for (int i = 0; i < labels.Data.Length; i++)
            if (labels.Data[i] >= classes)
                throw new InvalidDataException($"{name}: label {labels.Data[i]} of item {i} is outside 0..{classes - 1}");
        return new ImageSet(name, images.Data, labels.Data, images.Count, images.Shape[1], images.Shape[2], classes);
    }

    /// <summary>The subset with the given item indices (copied).</summary>
    public ImageSet Subset(IReadOnlyList<int> indices, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var images = new byte[indices.Count * Pixels];
        var labels = new byte[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Array.Copy(Images, (long)indices[i] * Pixels, images, (long)i * Pixels, Pixels);
            labels[i] = Labels[indices[i]];
        }
        return new ImageSet(name ?? Name, images, labels, indices.Count, Height, Width, Classes);
    }

    /// <summary>Pixel mean and standard deviation of x/255 over the whole set.</summary>
    public (double Mean, double Std) PixelStatistics()
    {
        double sum = 0, square = 0;
        foreach (byte b in Images)
        {
            double x = b / 255.0;
            sum += x;
            square += x * x;
        }
        double mean = sum / Images.Length;
        return (mean, Math.Sqrt(Math.Max(square / Images.Length - mean * mean, 1e-12)));
    }
}

/// <summary>How pixel bytes become floats.</summary>
public enum Normalization
{
    /// <summary>x/255 ∈ [0, 1].</summary>
    UnitRange,
    /// <summary>(x/255 − mean)/std with the training split's pixel mean and std (mean 0, variance 1, as Micheli et al.).</summary>
    Standardized,
}
