using System.Numerics;
using PureHDF;

namespace SpikeInit.Data;

/// <summary>
/// Spiking Heidelberg Digits and Spiking Speech Commands (Cramer et al. 2020) from their HDF5 files: per sample
/// <c>/spikes/times[i]</c> (seconds) and <c>/spikes/units[i]</c> (channel 0..699) as variable-length arrays, and
/// <c>/labels[i]</c>. Binned as stork does: bin = ⌊t/dt⌋, events with bin ≥ steps or unit ≥ units (outside the window) dropped, several
/// spikes in one bin collapse to 1. stork's SHD setting: dt = 2 ms, steps = ⌊0.7/0.002⌋ = 349.
/// </summary>
/// <remarks>
/// Every dtype h5py writes is converted by value, not reinterpreted: times float16/32/64, units and labels any signed or
/// unsigned integer of 8 to 64 bits; the values are range-checked after conversion (a negative unit, a negative
/// or non-finite time, or a label outside 0..classes−1 is an error naming the file and the sample). A sample without spikes
/// is a silent recording and is kept as an empty raster. The file must be a regular file; its external links are refused
/// before the HDF5 library could open another file, soft-link loops are reported as errors, claimed dataset sizes are
/// checked against the file size and the expanded rasters against a memory budget before anything is read.
/// </remarks>
public static class Shd
{
    /// <summary>The default budget for the binned rasters: half the memory available to this process.</summary>
    public static long DefaultMaxBytes => Math.Max(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2, 1L << 28);

    /// <summary>Reads and bins one file into a <see cref="SpikeSet"/>.</summary>
    /// <param name="path">The HDF5 file.</param>
    /// <param name="steps">Time bins per sample.</param>
    /// <param name="dt">Seconds per bin.</param>
    /// <param name="units">Input channels (units must lie in 0..units−1).</param>
    /// <param name="classes">Number of classes (null: the largest label + 1).</param>
    /// <param name="maxBytes">Cap on the binned rasters' bytes (null: <see cref="DefaultMaxBytes"/>).</param>
    public static SpikeSet Load(string path, int steps = 349, double dt = 2e-3, int units = 700, int? classes = null, long? maxBytes = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        Validate.AtLeast(steps, "steps", 1);
        Validate.Positive(dt, "dt");
        Validate.AtLeast(units, "units", 1);
        long fileBytes = DataFile.RequireRegular(path);
        if (Hdf5Links.FindExternal(path) is { } link)
            throw new InvalidDataException($"{path}: external link {link} refused (SHD/SSC data must be inside the file)");
        Hdf5Headers.Check(path, fileBytes);                 // claimed link name lengths, before PureHDF allocates them
        var heap = Hdf5Heaps.Check(path, fileBytes);        // claimed heap sizes, too
        long budget = maxBytes ?? DefaultMaxBytes;
        double[][] times;
        long[][] channels;
        long[] labels;
        try
        {
            using var stream = new GuardedStream(File.OpenRead(path), 64 * fileBytes + (64L << 20));
            using var file = H5File.Open(stream, false);
            IH5Dataset timeSet = Find(file, "spikes/times"), unitSet = Find(file, "spikes/units"), labelSet = Find(file, "labels");
            long count = Rows(labelSet, "labels", fileBytes, path);
            foreach (var (set, name) in new[] { (timeSet, "spikes/times"), (unitSet, "spikes/units") })
            {
                if (Rows(set, name, fileBytes, path) != count)
                    throw new InvalidDataException($"{path}: {name} has {set.Space.Dimensions[0]} rows but labels has {count}; every sample needs times, units and a label");
                if (set.Type.Class == H5DataTypeClass.VariableLength)   // row lengths, before PureHDF allocates them
                    Hdf5Vlen.Check(set, count, (int)set.Type.VariableLength.BaseType.Size, heap, path, name);
            }
            if (count * (double)steps * units > budget)
                throw new InvalidDataException($"{path}: {count} samples of {steps}x{units} bins need {count * (double)steps * units:G3} bytes, over the memory budget of {budget} bytes");
            labels = Labels(labelSet, path);
            times = Times(timeSet, path);
            channels = Sequences(unitSet, "spikes/units", path);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException(e is InvalidDataException ? $"{path}: {e.Message}"
                                           : $"{path}: not a readable SHD/SSC file ({e.GetType().Name}: {e.Message.Split('\n')[0]})", e);
        }
        if (times.Length != labels.Length || channels.Length != labels.Length)
            throw new InvalidDataException($"{path}: {times.Length} time arrays, {channels.Length} unit arrays and {labels.Length} labels must have the same count");
        if (labels.Length == 0) throw new InvalidDataException($"{path}: the file holds no samples");
        long maxLabel = labels.Max();
        int nClasses = classes ?? (int)Math.Clamp(maxLabel + 1, 1, 256);
        var rasters = new byte[times.Length][];
        var y = new byte[labels.Length];
        for (int i = 0; i < times.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= nClasses || labels[i] > 255)
                throw new InvalidDataException($"{path}: label {labels[i]} of sample {i} is outside 0..{Math.Min(nClasses, 256) - 1}");
            y[i] = (byte)labels[i];
            rasters[i] = Bin(times[i], channels[i], steps, dt, units, path, i);
        }
        return new SpikeSet(Path.GetFileNameWithoutExtension(path), rasters, y, steps, units, nClasses, dt);
    }

    private static byte[] Bin(double[] times, long[] channels, int steps, double dt, int units, string path, int sample)
    {
        if (times.Length != channels.Length)
            throw new InvalidDataException($"{path}: sample {sample} has {times.Length} times but {channels.Length} units");
        var raster = new byte[steps * units];
        for (int j = 0; j < times.Length; j++)
        {
            double t = times[j];
            long unit = channels[j];
            if (!double.IsFinite(t) || t < 0)
                throw new InvalidDataException($"{path}: spike {j} of sample {sample} has time {t} s (must be finite and ≥ 0)");
            if (unit < 0) throw new InvalidDataException($"{path}: spike {j} of sample {sample} has unit {unit} (units are channel numbers ≥ 0)");
            double bin = Math.Floor(t / dt);
            if (bin < steps && unit < units) raster[(int)bin * units + unit] = 1;
        }
        return raster;
    }

    private static IH5Dataset Find(PureHDF.VOL.Native.NativeFile file, string name)
    {
        string top = name.Split('/')[0];
        if (file.Children().OfType<IH5UnresolvedLink>().FirstOrDefault(l => l.Name == top) is { } broken)
            throw new InvalidDataException($"link '{top}' cannot be resolved: a looping or broken soft link ({broken.Reason?.Message.Split('\n')[0]})");
        if (!file.LinkExists(top) || !file.LinkExists(name)) throw new InvalidDataException($"no dataset '{name}' (the SHD layout has spikes/times, spikes/units and labels)");
        return file.Get(name) is IH5Dataset set ? set : throw new InvalidDataException($"'{name}' is not a dataset (a broken, looping or unresolvable link, or a group)");
    }

    /// <summary>The number of rows a 1-D dataset claims, checked against the file before reading.</summary>
    private static long Rows(IH5Dataset set, string name, long fileBytes, string path)
    {
        ulong[] dims = set.Space.Dimensions;
        if (dims.Length != 1) throw new InvalidDataException($"{path}: {name} has shape [{string.Join(", ", dims)}]; expected one row per sample");
        if (dims[0] > int.MaxValue) throw new InvalidDataException($"{path}: {name} claims {dims[0]} rows, more than {int.MaxValue}");
        long rows = (long)dims[0];
        int rowBytes = (int)set.Type.Size;                 // a variable-length row is its descriptor
        if (set.Layout.Class is H5DataLayoutClass.Contiguous or H5DataLayoutClass.Compact && rows * (double)rowBytes > fileBytes)
            throw new InvalidDataException($"{path}: {name} claims {rows} rows of {rowBytes} bytes but the file has only {fileBytes} bytes");
        return rows;
    }

    private static long[] Labels(IH5Dataset set, string path)
    {
        IH5DataType t = set.Type;
        if (t.Class != H5DataTypeClass.FixedPoint) throw new InvalidDataException($"{path}: labels are {t.Class} of {t.Size} bytes; expected integers");
        return (t.Size, t.FixedPoint.IsSigned) switch
        {
            (1, false) => Widen(set.Read<byte[]>()),
            (1, true) => Widen(set.Read<sbyte[]>()),
            (2, false) => Widen(set.Read<ushort[]>()),
            (2, true) => Widen(set.Read<short[]>()),
            (4, false) => Widen(set.Read<uint[]>()),
            (4, true) => Widen(set.Read<int[]>()),
            (8, false) => Widen(set.Read<ulong[]>()),
            (8, true) => set.Read<long[]>(),
            _ => throw new InvalidDataException($"{path}: labels are integers of {t.Size} bytes; expected 1, 2, 4 or 8"),
        };
    }

    private static double[][] Times(IH5Dataset set, string path)
    {
        IH5DataType t = Element(set, "spikes/times", path);
        if (t.Class != H5DataTypeClass.FloatingPoint) throw new InvalidDataException($"{path}: spikes/times holds {t.Class} of {t.Size} bytes; expected float16, float32 or float64 seconds");
        return t.Size switch
        {
            2 => [.. set.Read<Half[][]>().Select(r => r is null ? [] : Array.ConvertAll(r, h => (double)h))],
            4 => [.. set.Read<float[][]>().Select(r => r is null ? [] : Array.ConvertAll(r, f => (double)f))],
            8 => [.. set.Read<double[][]>().Select(r => r ?? [])],
            _ => throw new InvalidDataException($"{path}: spikes/times holds floats of {t.Size} bytes; expected 2, 4 or 8"),
        };
    }

    private static long[][] Sequences(IH5Dataset set, string name, string path)
    {
        IH5DataType t = Element(set, name, path);
        if (t.Class != H5DataTypeClass.FixedPoint) throw new InvalidDataException($"{path}: {name} holds {t.Class} of {t.Size} bytes; expected integers");
        return (t.Size, t.FixedPoint.IsSigned) switch
        {
            (1, false) => WidenRows(set.Read<byte[][]>()),
            (1, true) => WidenRows(set.Read<sbyte[][]>()),
            (2, false) => WidenRows(set.Read<ushort[][]>()),
            (2, true) => WidenRows(set.Read<short[][]>()),
            (4, false) => WidenRows(set.Read<uint[][]>()),
            (4, true) => WidenRows(set.Read<int[][]>()),
            (8, false) => WidenRows(set.Read<ulong[][]>()),
            (8, true) => [.. set.Read<long[][]>().Select(r => r ?? [])],
            _ => throw new InvalidDataException($"{path}: {name} holds integers of {t.Size} bytes; expected 1, 2, 4 or 8"),
        };
    }

    private static IH5DataType Element(IH5Dataset set, string name, string path) =>
        set.Type.Class == H5DataTypeClass.VariableLength ? set.Type.VariableLength.BaseType
        : throw new InvalidDataException($"{path}: {name} is {set.Type.Class}; expected one variable-length array per sample");

    /// <summary>Integers converted by value (values above <see cref="long.MaxValue"/> saturate and fail the range check).</summary>
    private static long[] Widen<T>(T[] values) where T : INumberBase<T> => Array.ConvertAll(values, long.CreateSaturating);

    private static long[][] WidenRows<T>(T[][] rows) where T : INumberBase<T> => [.. rows.Select(r => r is null ? [] : Widen(r))];
}
