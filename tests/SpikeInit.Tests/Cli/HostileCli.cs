using System.Diagnostics;
using System.Globalization;

namespace SpikeInit.Tests;

/// <summary>
/// Runs the built <c>spikeinit</c> as a child process the way a user would, with a time bound, and records its exit code,
/// output, and peak resident memory (the kernel's high-water mark, VmHWM, sampled until it exits).
/// </summary>
internal static class HostileCli
{
    /// <summary>Time bound of one hostile case.</summary>
    public static readonly TimeSpan TimeBound = TimeSpan.FromSeconds(60);

    /// <summary>Peak-memory bound of one hostile case (a normal start is about 0.2 GB).</summary>
    public const long MemoryBound = 1L << 30;

    /// <summary>The result of one run.</summary>
    public sealed record Result(int Code, string Out, string Err, long PeakBytes, TimeSpan Elapsed);

    /// <summary>Starts <c>spikeinit ARGS</c> in <paramref name="workDir"/> with piped output.</summary>
    public static Process Start(string workDir, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SpikeInit.Cli.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    /// <summary>Runs <c>spikeinit ARGS</c> to its end (killed after <see cref="TimeBound"/>).</summary>
    public static Result Run(string workDir, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        using Process p = Start(workDir, args);
        Task<string> output = p.StandardOutput.ReadToEndAsync(), error = p.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!p.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakOf(p.Id));
            if (clock.Elapsed > TimeBound)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                return new Result(-1, output.Result, "timed out: " + error.Result, peak, clock.Elapsed);
            }
        }
        p.WaitForExit();
        return new Result(p.ExitCode, output.Result, error.Result, peak, clock.Elapsed);
    }

    /// <summary>The peak resident memory of a running process in bytes (0 when it already exited).</summary>
    private static long PeakOf(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Asserts the hostile-input contract: exit code 2, exactly one standard-error line, starting with <c>error:</c> and
    /// containing <paramref name="names"/> (the file or option), no stack trace, within the time and memory bounds.
    /// </summary>
    public static Result AssertOneError(Result r, string names, string label)
    {
        ArgumentNullException.ThrowIfNull(r);
        string[] lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                              .Where(l => !l.StartsWith("resuming", StringComparison.Ordinal)).ToArray();
        string context = $"{label}: exit {r.Code}, stderr:\n{r.Err}";
        Assert.True(r.Code == 2, context);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), context);
        Assert.Contains(names, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.True(r.Elapsed < TimeBound, context);
        Assert.True(r.PeakBytes < MemoryBound, $"{label}: peak {r.PeakBytes >> 20} MB");
        return r;
    }
}
