using System.Runtime.InteropServices;

namespace SpikeInit.Runtime;

/// <summary>What <see cref="ProcessTuning.Apply"/> did.</summary>
/// <param name="OmpWaitPolicy">The OpenMP wait policy libtorch's thread pool will use (null: not applicable here).</param>
/// <param name="KeepsFreedMemory">Whether glibc malloc was told to keep freed memory in the process.</param>
public sealed record TuningReport(string? OmpWaitPolicy, bool KeepsFreedMemory);

/// <summary>
/// Process-wide native settings that decide CPU speed on small machines (docs/BENCHMARKS.md, facts 1 and 2), applied
/// by SpikeInit itself so users set nothing by hand:
/// <list type="bullet">
/// <item><c>OMP_WAIT_POLICY=PASSIVE</c> (unless the user set it): libtorch's OpenMP workers sleep instead of spinning
/// after each parallel region, so they do not steal the cores from the .NET threads of the fused kernels and the GC. Set
/// with the C library's <c>setenv</c>, because OpenMP reads the native environment when libtorch loads, and .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string?)"/> does not write it.</item>
/// <item>glibc <c>mallopt</c>: no <c>mmap</c> for large blocks (M_MMAP_MAX = 0), no trimming of the heap top
/// (M_TRIM_THRESHOLD = 2 GiB − 1) and 256 MiB of top padding, so the activations of one training step reuse the pages
/// freed by the previous step instead of faulting in fresh pages (≈ 12 µs per 4 KiB here: W3 went from 12 to ≈ 100
/// samples/s with this alone). Resident memory then stays at the peak of a step instead of shrinking between steps.</item>
/// </list>
/// Linux with glibc only; elsewhere <see cref="Apply"/> does nothing. Must run before the first tensor call to take full
/// effect (the CLI calls it through <see cref="TorchRuntime.Configure"/>); calling it again is harmless.
/// </summary>
public static partial class ProcessTuning
{
    private const int MTrimThreshold = -1, MTopPad = -2, MMmapMax = -4;
    private static readonly Lazy<TuningReport> Applied = new(ApplyOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Applies the settings once per process and reports them.</summary>
    public static TuningReport Apply() => Applied.Value;

    private static TuningReport ApplyOnce()
    {
        if (!OperatingSystem.IsLinux()) return new TuningReport(null, false);
        try
        {
            string? policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
            if (string.IsNullOrEmpty(policy))
            {
                policy = "PASSIVE";
                if (SetEnv("OMP_WAIT_POLICY", policy, 0) != 0) policy = null;
            }
            bool kept = MallOpt(MMmapMax, 0) == 1
                        & MallOpt(MTrimThreshold, int.MaxValue) == 1
                        & MallOpt(MTopPad, 256 << 20) == 1;
            return new TuningReport(policy, kept);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return new TuningReport(null, false);      // not glibc (e.g. musl): nothing to tune
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
