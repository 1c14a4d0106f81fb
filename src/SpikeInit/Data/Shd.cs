using PureHDF;

namespace SpikeInit.Data;

/// <summary>
/// Spiking Heidelberg Digits and Spiking Speech Commands (Cramer et al. 2020) from their HDF5 files: per sample
/// <c>/spikes/times[i]</c> (seconds) and <c>/spikes/units[i]</c> (channel 0..699) as variable-length arrays, and
/// <c>/labels[i]</c>. Binned as stork does: bin = ⌊t/dt⌋, events with 0 ≤ bin &lt; steps and 0 ≤ unit &lt; units kept, several
/// spikes in one bin collapse to 1. stork's SHD setting: dt = 2 ms, steps = ⌊0.7/0.002⌋ = 349.
/// </summary>
public static class Shd
{
    /// <summary>Reads and bins one file into a <see cref="SpikeSet"/>.</summary>
    public static SpikeSet Load(string path, int steps = 349, double dt = 2e-3, int units = 700, int? classes = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        Validate.AtLeast(steps, "steps", 1);
        Validate.Positive(dt, "dt");
        Validate.AtLeast(units, "units", 1);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist");
        float[][] times;
        long[][] channels;
        long[] labels;
        try
        {
            using var file = H5File.OpenRead(path);
            times = ReadFloats(file.Dataset("spikes/times"));
            channels = ReadIntegerSequences(file.Dataset("spikes/units"));
            labels = ReadIntegers(file.Dataset("labels"));
        }
        catch (Exception e) when (e is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: not a readable SHD/SSC file ({e.GetType().Name}: {e.Message.Split('\n')[0]})", e);
        }
        if (times.Length != channels.Length || times.Length != labels.Length)
            throw new InvalidDataException($"{path}: {times.Length} time arrays, {channels.Length} unit arrays and {labels.Length} labels must have the same count");
        int nClasses = classes ?? (labels.Length == 0 ? 1 : (int)labels.Max() + 1);
        var rasters = new byte[times.Length][];
        var y = new byte[labels.Length];
        for (int i = 0; i < times.Length; i++)
        {
            if (times[i].Length != channels[i].Length)
                throw new InvalidDataException($"{path}: sample {i} has {times[i].Length} times but {channels[i].Length} units");
            if (labels[i] < 0 || labels[i] >= nClasses || labels[i] > 255)
                throw new InvalidDataException($"{path}: label {labels[i]} of sample {i} is outside 0..{Math.Min(nClasses, 256) - 1}");
            y[i] = (byte)labels[i];
            var raster = new byte[steps * units];
            for (int j = 0; j < times[i].Length; j++)
            {
                float t = times[i][j];
                if (!float.IsFinite(t)) throw new InvalidDataException($"{path}: sample {i} has a non-finite spike time");
                double bin = t / dt;
                long unit = channels[i][j];
                if (bin < 0 || bin >= steps || unit < 0 || unit >= units) continue;
                raster[(int)bin * units + unit] = 1;
            }
            rasters[i] = raster;
        }
        return new SpikeSet(Path.GetFileNameWithoutExtension(path), rasters, y, steps, units, nClasses, dt);
    }

    private static float[][] ReadFloats(IH5Dataset dataset)
    {
        try
        {
            return dataset.Read<float[][]>();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [.. dataset.Read<Half[][]>().Select(a => a.Select(h => (float)h).ToArray())];
        }
    }

    private static long[][] ReadIntegerSequences(IH5Dataset dataset)
    {
        foreach (Func<long[][]> attempt in new Func<long[][]>[]
                 {
                     () => [.. dataset.Read<ushort[][]>().Select(a => a.Select(v => (long)v).ToArray())],
                     () => [.. dataset.Read<int[][]>().Select(a => a.Select(v => (long)v).ToArray())],
                     () => [.. dataset.Read<uint[][]>().Select(a => a.Select(v => (long)v).ToArray())],
                     () => [.. dataset.Read<short[][]>().Select(a => a.Select(v => (long)v).ToArray())],
                     () => dataset.Read<long[][]>(),
                 })
        {
            try { return attempt(); }
            catch (Exception e) when (e is not OutOfMemoryException) { }
        }
        throw new InvalidDataException("spikes/units is not a variable-length integer dataset");
    }

    private static long[] ReadIntegers(IH5Dataset dataset)
    {
        foreach (Func<long[]> attempt in new Func<long[]>[]
                 {
                     () => [.. dataset.Read<byte[]>().Select(v => (long)v)],
                     () => [.. dataset.Read<ushort[]>().Select(v => (long)v)],
                     () => [.. dataset.Read<int[]>().Select(v => (long)v)],
                     () => [.. dataset.Read<short[]>().Select(v => (long)v)],
                     () => [.. dataset.Read<uint[]>().Select(v => (long)v)],
                     () => dataset.Read<long[]>(),
                 })
        {
            try { return attempt(); }
            catch (Exception e) when (e is not OutOfMemoryException) { }
        }
        throw new InvalidDataException("labels is not an integer dataset");
    }
}
