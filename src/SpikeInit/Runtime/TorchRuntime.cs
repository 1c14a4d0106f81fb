using System.Reflection;
using TorchSharp;

namespace SpikeInit.Runtime;

/// <summary>Versions and settings of the tensor runtime, as <c>spikeinit info</c> prints them.</summary>
/// <param name="SpikeInitVersion">This library's version.</param>
/// <param name="TorchSharpVersion">The TorchSharp managed assembly's version.</param>
/// <param name="LibTorchVersion">The native libtorch version.</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="InteropThreads">Inter-op threads.</param>
/// <param name="CudaAvailable">Whether a CUDA device is usable.</param>
/// <param name="Tuning">The process settings of <see cref="ProcessTuning"/>.</param>
/// <param name="TorchBridge">What <see cref="NativeBridge.Prepare"/> did about TorchSharp's native bridge (one line).</param>
public sealed record RuntimeInfo(string SpikeInitVersion, string TorchSharpVersion, string LibTorchVersion,
                                 int Threads, int InteropThreads, bool CudaAvailable, TuningReport Tuning, string TorchBridge)
{
    /// <summary>The report as (item, value) rows, as <c>spikeinit info</c> prints them.</summary>
    public IEnumerable<(string Item, string Value)> Rows() =>
    [
        ("SpikeInit", SpikeInitVersion), ("TorchSharp", TorchSharpVersion), ("libtorch", LibTorchVersion),
        ("threads", Threads.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("interop threads", InteropThreads.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("OpenMP wait policy", Tuning.OmpWaitPolicy ?? "(default)"), ("malloc keeps freed memory", Tuning.KeepsFreedMemory ? "yes" : "no"),
        ("CUDA available", CudaAvailable ? "yes" : "no"), ("native bridge", TorchBridge), (".NET", Environment.Version.ToString()),
        ("OS", System.Runtime.InteropServices.RuntimeInformation.OSDescription),
    ];
}

/// <summary>The entry point's one-time runtime set-up (thread count) and version report.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Applies <see cref="ProcessTuning"/>, prepares the native bridge (<see cref="NativeBridge.Prepare"/>) and sets the
    /// intra-op thread count (null or ≤ 0: all cores). Call once, at the program's entry point, before any tensor is created.
    /// </summary>
    public static void Configure(int? threads)
    {
        ProcessTuning.Apply();
        NativeBridge.Prepare();
        int n = threads is > 0 ? threads.Value : Environment.ProcessorCount;
        torch.set_num_threads(n);
    }

    /// <summary>Reads versions and settings (loads libtorch if needed).</summary>
    public static RuntimeInfo Describe()
    {
        string libtorch = LibTorchVersion();
        return new RuntimeInfo(
            InformationalVersion(typeof(TorchRuntime).Assembly),
            InformationalVersion(typeof(torch).Assembly),
            libtorch,
            torch.get_num_threads(),
            torch.get_num_interop_threads(),
            torch.cuda_is_available(),
            ProcessTuning.Apply(),
            NativeBridge.Prepare().ToString());
    }

    /// <summary>The informational version of an assembly, without source-revision suffix.</summary>
    public static string InformationalVersion(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        string? v = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                    ?? assembly.GetName().Version?.ToString();
        if (v is null) return "unknown";
        int plus = v.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? v[..plus] : v;
    }

    /// <summary>The libtorch version, read from the native package that ships it (falls back to TorchSharp's report).</summary>
    private static string LibTorchVersion()
    {
        string dir = AppContext.BaseDirectory;
        string? deps = Directory.EnumerateFiles(dir, "*.deps.json").FirstOrDefault();
        if (deps is not null)
        {
            foreach (string line in File.ReadLines(deps))
            {
                int at = line.IndexOf("\"libtorch-cpu-", StringComparison.Ordinal);
                if (at < 0) continue;
                int slash = line.IndexOf('/', at);
                int end = line.IndexOf('"', at + 1);
                if (slash > at && end > slash) return line[(slash + 1)..end];
            }
        }
        return torch.__version__;
    }
}
