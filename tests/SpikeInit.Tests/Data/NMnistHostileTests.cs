using SpikeInit.Data;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>
/// Hostile N-MNIST event files: each gives one <see cref="InvalidDataException"/> (or <see cref="FileNotFoundException"/>,
/// <see cref="ArgumentException"/>) starting with the file's path, within 10 s, allocating under 8 MiB — the size is
/// checked (regular file, at most <see cref="NMnist.MaxBytes"/>) before anything is read.
/// </summary>
public sealed class NMnistHostileTests(ITestOutputHelper output) : TempFolderTest("spikeinit-nmnist-hostile-")
{
    private const long AllocationCap = 8L << 20;
    private static readonly byte[] Ok = NMnist.Encode([new(0, 0, 1, 0), new(33, 5, 0, 1000), new(10, 33, 1, 200000)]);

    private HostileCase Case(string kind, string words, byte[] bytes)
    {
        string path = T.Write(dir, kind.Replace(' ', '-').Replace('/', '-') + ".bin", bytes);
        return new HostileCase(kind, path, words, () => NMnist.Read(path));
    }

    private static HostileCase At(string kind, string path, string words) => new(kind, path, words, () => NMnist.Read(path));

    [Fact]
    public async Task Hostile_event_files_fail_cleanly_fast_and_small()
    {
        var cases = new List<HostileCase>
        {
            Case("truncated by 1 byte", "not a whole number of 5-byte events", Ok[..^1]),
            Case("truncated by 4 bytes", "truncated after event 2", Ok[..^4]),
            Case("one byte", "not a whole number", [7]),
            Case("x = 34", "outside the 34x34 sensor", [34, 0, 0, 0, 0]),
            Case("y = 200", "(0, 200) is outside the 34x34 sensor", [0, 200, 0, 0, 0]),
            Case("x = 255 after good events", "event 3 at (255, 1)", [.. Ok, 255, 1, 0, 0, 0]),
            Case("time goes backwards", "not time-ordered", [.. NMnist.Encode([new(0, 0, 0, 500)]), .. NMnist.Encode([new(0, 0, 0, 10)])]),
            Case("all bytes 0xFF", "outside the 34x34 sensor", [.. Enumerable.Repeat((byte)0xFF, 50)]),
            At("64 MiB + 5 (sparse)", HostileCases.Sparse(Path.Combine(dir, "big.bin"), NMnist.MaxBytes + 5), "exceeds the cap of 67108864 bytes"),
            At("missing file", Path.Combine(dir, "none.bin"), "does not exist"),
            At("folder", dir, "is a folder"),
        };
        if (!OperatingSystem.IsWindows())
        {
            cases.Add(At("link to /dev/zero", HostileCases.LinkToDevZero(Path.Combine(dir, "zero.bin")), "character device"));
            cases.Add(At("FIFO", HostileCases.Fifo(Path.Combine(dir, "fifo.bin")), "FIFO (named pipe)"));
            cases.Add(At("/dev/zero", "/dev/zero", "character device"));
        }
        output.WriteLine($"largest allocation (N-MNIST): {await HostileCases.Check(cases, AllocationCap, output)} bytes");
    }

    [Fact]
    public void Steps_that_overflow_a_frame_buffer_are_refused_before_allocating()
    {
        string path = T.Write(dir, "ok.bin", Ok);
        Assert.Contains($"outside 1..{NMnist.MaxSteps}", Assert.Throws<ArgumentException>(() => NMnist.Frames([], int.MaxValue)).Message, StringComparison.Ordinal);
        Assert.Contains("batch_size x steps", Assert.Throws<ArgumentException>(() => Batches.Events([(path, 1), (path, 2)], 2, NMnist.MaxSteps).First()).Message, StringComparison.Ordinal);
    }
}
