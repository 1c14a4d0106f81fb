using System.Diagnostics;
using Xunit.Abstractions;

namespace SpikeInit.Tests;

/// <summary>One hostile input: what it is, the file the error must name, words the message must contain, and the read.</summary>
/// <param name="Kind">What is wrong with the input.</param>
/// <param name="Path">The file (or folder) every error message must start with.</param>
/// <param name="Words">Words the message must contain (the reason, often the valid range).</param>
/// <param name="Read">The read that must fail.</param>
internal sealed record HostileCase(string Kind, string Path, string Words, Action Read);

/// <summary>
/// Runs hostile inputs through a reader: each must end in one clean library exception (<see cref="InvalidDataException"/>,
/// <see cref="FileNotFoundException"/> or <see cref="ArgumentException"/>, which the CLI prints as one <c>error:</c> line and
/// exit 2) whose single-line message starts with the file's path, within <see cref="TimeCap"/> and allocating less than the
/// stated cap (bytes allocated by the reading thread). Prints a table of the cases and the largest allocation.
/// </summary>
internal static class HostileCases
{
    /// <summary>Time bound per case (a hang shows as a timeout).</summary>
    public static readonly TimeSpan TimeCap = TimeSpan.FromSeconds(10);

    /// <summary>Runs every case, prints the table and asserts all at once (so one report lists every failure).</summary>
    /// <returns>The largest allocation any case reached, in bytes.</returns>
    public static async Task<long> Check(IReadOnlyList<HostileCase> cases, long allocationCap, ITestOutputHelper output)
    {
        var failures = new List<string>();
        long largest = 0;
        foreach (HostileCase c in cases)
        {
            var clock = Stopwatch.StartNew();
            Exception? e;
            long allocated;
            try
            {
                (e, allocated) = await Task.Run(() =>
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    Exception? thrown = Record.Exception(c.Read);
                    return (thrown, GC.GetAllocatedBytesForCurrentThread() - before);
                }).WaitAsync(TimeCap);
            }
            catch (TimeoutException)
            {
                failures.Add($"{c.Kind}: hang (no result within {TimeCap.TotalSeconds} s)");
                continue;
            }
            largest = Math.Max(largest, allocated);
            string message = e?.Message ?? "";
            output.WriteLine($"{c.Kind,-45} {e?.GetType().Name ?? "no error",-24} {clock.ElapsedMilliseconds,6} ms {allocated / 1024.0,10:F0} KiB  {message}");
            if (e is null) failures.Add($"{c.Kind}: accepted silently");
            else if (e is not (InvalidDataException or FileNotFoundException or ArgumentException)) failures.Add($"{c.Kind}: {e.GetType().Name} is not a clean error: {e}");
            else if (!message.StartsWith(c.Path, StringComparison.Ordinal)) failures.Add($"{c.Kind}: message does not start with {c.Path}: {message}");
            else if (message.Contains('\n', StringComparison.Ordinal)) failures.Add($"{c.Kind}: message has several lines: {message}");
            else if (!message.Contains(c.Words, StringComparison.Ordinal)) failures.Add($"{c.Kind}: message lacks '{c.Words}': {message}");
            if (allocated > allocationCap) failures.Add($"{c.Kind}: allocated {allocated} bytes, over the cap of {allocationCap}");
            if (clock.Elapsed > TimeCap) failures.Add($"{c.Kind}: took {clock.Elapsed}");
        }
        output.WriteLine($"{cases.Count} cases, {cases.Count - failures.Count} clean; largest allocation {largest / 1024.0 / 1024.0:F2} MiB (cap {allocationCap / 1024.0 / 1024.0:F0} MiB)");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        return largest;
    }

    /// <summary>Makes a FIFO (Unix only).</summary>
    public static string Fifo(string path)
    {
        Process.Start("mkfifo", path)!.WaitForExit();
        return path;
    }

    /// <summary>Makes a symbolic link to <c>/dev/zero</c>.</summary>
    public static string LinkToDevZero(string path)
    {
        File.CreateSymbolicLink(path, "/dev/zero");
        return path;
    }

    /// <summary>A sparse file of <paramref name="length"/> bytes (nothing written).</summary>
    public static string Sparse(string path, long length)
    {
        using var file = File.Create(path);
        file.SetLength(length);
        return path;
    }
}
