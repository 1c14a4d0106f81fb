using static TorchSharp.torch;

namespace SpikeInit.Data;

/// <summary>One address event: pixel (x, y), polarity (1 = ON, 0 = OFF), time in microseconds.</summary>
/// <param name="X">Column, 0..33.</param>
/// <param name="Y">Row, 0..33.</param>
/// <param name="Polarity">1 = ON, 0 = OFF.</param>
/// <param name="Microseconds">Timestamp (µs from the start of the recording).</param>
public readonly record struct AddressEvent(byte X, byte Y, byte Polarity, int Microseconds);

/// <summary>
/// N-MNIST (Orchard et al. 2015) binary event files: 5 bytes per event — byte 0 = x, byte 1 = y, byte 2 bit 7 =
/// polarity and bits 6..0 = timestamp bits 22..16, bytes 3–4 = timestamp bits 15..0 (µs, big-endian); sensor 34 × 34.
/// Folder layout <c>Train/0..9/*.bin</c>, <c>Test/0..9/*.bin</c>. Frames <c>[T, 2, 34, 34]</c> count the events of each
/// polarity (channel 0 = OFF, 1 = ON) in T equal time bins over the recording (SpikingJelly's split by time), clipped to 1.
/// </summary>
public static class NMnist
{
    /// <summary>Sensor size.</summary>
    public const int Size = 34;

    /// <summary>Largest accepted file (N-MNIST files are well below 1 MB).</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>Reads and validates one event file.</summary>
    public static AddressEvent[] Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        long length = DataFile.RequireRegular(path);        // a FIFO or a link to /dev/zero is refused before opening
        if (length > MaxBytes) throw new InvalidDataException($"{path}: {length} bytes exceeds the cap of {MaxBytes} bytes for an N-MNIST sample");
        var b = new byte[length];
        using (FileStream file = File.OpenRead(path))
        {
            int got = file.ReadAtLeast(b, b.Length, throwOnEndOfStream: false);
            if (got < b.Length || file.ReadByte() >= 0) throw new InvalidDataException($"{path}: the file changed size while it was read (expected {length} bytes)");
        }
        if (b.Length % 5 != 0)
            throw new InvalidDataException($"{path}: {b.Length} bytes is not a whole number of 5-byte events (truncated after event {b.Length / 5})");
        var events = new AddressEvent[b.Length / 5];
        int last = -1;
        for (int i = 0; i < events.Length; i++)
        {
            int o = 5 * i;
            byte x = b[o], y = b[o + 1];
            if (x >= Size || y >= Size) throw new InvalidDataException($"{path}: event {i} at ({x}, {y}) is outside the {Size}x{Size} sensor");
            int t = ((b[o + 2] & 0x7F) << 16) | (b[o + 3] << 8) | b[o + 4];
            if (t < last) throw new InvalidDataException($"{path}: event {i} at {t} us is earlier than the previous event at {last} us (not time-ordered)");
            last = t;
            events[i] = new AddressEvent(x, y, (byte)(b[o + 2] >> 7), t);
        }
        return events;
    }

    /// <summary>Encodes events into the 5-byte format (for tests and conversions).</summary>
    public static byte[] Encode(IReadOnlyList<AddressEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var b = new byte[events.Count * 5];
        for (int i = 0; i < events.Count; i++)
        {
            AddressEvent e = events[i];
            if (e.Microseconds is < 0 or >= 1 << 23) throw new ArgumentOutOfRangeException(nameof(events), e.Microseconds, "timestamps must fit 23 bits");
            b[5 * i] = e.X;
            b[5 * i + 1] = e.Y;
            b[5 * i + 2] = (byte)((e.Polarity << 7) | (e.Microseconds >> 16));
            b[5 * i + 3] = (byte)(e.Microseconds >> 8);
            b[5 * i + 4] = (byte)e.Microseconds;
        }
        return b;
    }

    /// <summary>Values per time bin of a frame: 2 polarities × 34 × 34 pixels.</summary>
    public const int FrameSize = 2 * Size * Size;

    /// <summary>Frames <c>[T, 2, 34, 34]</c> (float32, 0/1) from T equal time bins over [0, last event].</summary>
    public static Tensor Frames(IReadOnlyList<AddressEvent> events, int steps)
    {
        ArgumentNullException.ThrowIfNull(events);
        CheckSteps(steps);
        var frames = new float[steps * FrameSize];
        Fill(events, steps, frames);
        return tensor(frames, [steps, 2, Size, Size]);
    }

    /// <summary>The largest number of time bins whose frames fit one array (<c>T·2·34·34</c> values).</summary>
    public const int MaxSteps = int.MaxValue / FrameSize;

    internal static int CheckSteps(int steps) =>
        steps is >= 1 and <= MaxSteps ? steps : throw new ArgumentException($"steps = {steps} is outside 1..{MaxSteps} for N-MNIST frames ({FrameSize} values per step)");

    /// <summary>Sets the frames <c>[T, 2, 34, 34]</c> of <see cref="Frames"/> in a zeroed buffer of <c>T·2·34·34</c> values.</summary>
    internal static void Fill(IReadOnlyList<AddressEvent> events, int steps, Span<float> frames)
    {
        int duration = events.Count == 0 ? 1 : events[^1].Microseconds + 1;
        foreach (AddressEvent e in events)
        {
            int t = (int)((long)e.Microseconds * steps / duration);
            frames[((t * 2 + e.Polarity) * Size + e.Y) * Size + e.X] = 1;
        }
    }

    /// <summary>The (file, label) pairs of a split folder (<c>Train</c> or <c>Test</c>) with class subfolders 0..9.</summary>
    public static IReadOnlyList<(string Path, int Label)> Index(string splitDirectory)
    {
        ArgumentNullException.ThrowIfNull(splitDirectory);
        if (!Directory.Exists(splitDirectory)) throw new DirectoryNotFoundException($"N-MNIST split folder {splitDirectory} does not exist");
        var items = new List<(string, int)>();
        foreach (string classDir in Directory.GetDirectories(splitDirectory).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(classDir);
            if (!int.TryParse(name, out int label) || label is < 0 or > 9)
                throw new InvalidDataException($"{splitDirectory}: folder '{name}' is not a class 0..9");
            items.AddRange(Directory.GetFiles(classDir, "*.bin").Order(StringComparer.Ordinal).Select(f => (f, label)));
        }
        if (items.Count == 0) throw new InvalidDataException($"{splitDirectory}: no class folders with .bin files");
        return items;
    }
}
