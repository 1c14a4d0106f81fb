using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using TorchSharp;

namespace SpikeInit.Runtime;

/// <summary>
/// Makes TorchSharp 0.107's native bridge load on Linux systems whose libstdc++ predates GCC 13 (Debian 12), for every
/// program that uses SpikeInit — a project or package reference, a tool, a notebook — without any build step.
/// </summary>
/// <remarks>
/// <para><c>libLibTorchSharp.so</c> lists the version <c>GLIBCXX_3.4.32</c> as needed although no symbol it uses
/// requires it (docs: README, Troubleshooting); the dynamic loader refuses it where libstdc++ stops at
/// <c>GLIBCXX_3.4.30</c>. When, and only when, the bridge TorchSharp will load needs that version strongly and the
/// process's libstdc++ lacks it, <see cref="Prepare"/> writes a copy whose requirement is marked weak (the
/// <c>VER_FLG_WEAK</c> bit: 2 bytes differ) into a per-user cache folder, <c>$XDG_CACHE_HOME/spikeinit/native/HASH/</c>
/// (default <c>~/.cache/…</c>; HASH is of the original file), and loads libtorch and that copy before TorchSharp does.
/// TorchSharp's own load by name then finds the library already loaded under its soname. The NuGet cache and the
/// program's output are never modified; the copy is written to a temporary file and renamed, so concurrent processes
/// are safe, and an existing copy is used only when its bytes are exactly the patched ones.</para>
/// <para>SpikeInit calls this from its module initializer, i.e. before its first type is used; a program that touches
/// TorchSharp before any SpikeInit type calls <see cref="Prepare"/> first. Environment: <see cref="SwitchVariable"/>
/// = <c>off</c> switches it off, <see cref="CacheVariable"/> = a folder replaces the cache folder.</para>
/// </remarks>
public static class NativeBridge
{
    /// <summary>The library version the shipped bridge needs and Debian 12's libstdc++ lacks.</summary>
    public const string RequiredVersion = "GLIBCXX_3.4.32";

    /// <summary>Environment variable: <c>off</c> (or <c>0</c>, <c>false</c>) leaves TorchSharp to load the bridge as shipped.</summary>
    public const string SwitchVariable = "SPIKEINIT_NATIVE_FIX";

    /// <summary>Environment variable: the folder for patched copies (default <c>$XDG_CACHE_HOME/spikeinit/native</c>).</summary>
    public const string CacheVariable = "SPIKEINIT_NATIVE_CACHE";

    private const string BridgeFile = "libLibTorchSharp.so", LibTorchFile = "libtorch.so";
    private const string NativeFolder = "runtimes/linux-x64/native";
    private static readonly Lazy<NativeBridgeStatus> Prepared = new(PrepareOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Checks the bridge and, where needed, loads a patched copy (once per process; later calls return the first result).</summary>
    public static NativeBridgeStatus Prepare() => Prepared.Value;

    private static NativeBridgeStatus PrepareOnce()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return new(NativeBridgeAction.NotApplicable, null, null, "only the Linux x64 bridge needs it");
        string? setting = Environment.GetEnvironmentVariable(SwitchVariable)?.Trim().ToUpperInvariant();
        if (setting is "OFF" or "0" or "FALSE")
            return new(NativeBridgeAction.Disabled, null, null, $"{SwitchVariable}={Environment.GetEnvironmentVariable(SwitchVariable)}");
        try
        {
            return PrepareOnLinux();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
                                       or DllNotFoundException or BadImageFormatException)
        {
            var status = new NativeBridgeStatus(NativeBridgeAction.Failed, null, null, e.Message);
            Console.Error.WriteLine($"SpikeInit: could not prepare TorchSharp's native bridge ({e.Message}); set {SwitchVariable}=off to skip this step.");
            return status;
        }
    }

    [SupportedOSPlatform("linux")]
    private static NativeBridgeStatus PrepareOnLinux()
    {
        string? bridge = FindBridge();
        if (bridge is null)
            return new(NativeBridgeAction.NotFound, null, null, $"no {BridgeFile} next to the program or in the NuGet package folder");
        byte[] original = File.ReadAllBytes(bridge);
        byte[] patched = (byte[])original.Clone();
        ElfPatchOutcome outcome = ElfVersionPatcher.MakeVersionWeak(patched, RequiredVersion);
        if (outcome != ElfPatchOutcome.Patched)
            return new(NativeBridgeAction.NotNeeded, bridge, null, $"the bridge does not need {RequiredVersion} strongly");
        if (ElfVersionPatcher.SystemLibStdCxxDefines(RequiredVersion))
            return new(NativeBridgeAction.NotNeeded, bridge, null, $"libstdc++ defines {RequiredVersion}");

        string copy = WritePatchedCopy(CacheRoot(), original, patched);
        string libtorch = FindLibTorch(Path.GetDirectoryName(bridge)!)
                          ?? throw new DllNotFoundException($"{LibTorchFile} was found neither next to {bridge} nor in a NuGet package folder");
        ProcessTuning.Apply();                  // OpenMP reads its environment when libtorch loads: settings go first
        NativeLibrary.Load(libtorch);           // the bridge's libtorch/libc10/libtorch_cpu, resolved by soname below
        NativeLibrary.Load(copy);
        return new(NativeBridgeAction.LoadedPatchedCopy, bridge, copy, $"libstdc++ lacks {RequiredVersion}");
    }

    /// <summary>
    /// Writes <paramref name="patched"/> as <c>ROOT/HASH/libLibTorchSharp.so</c> (HASH: of <paramref name="original"/>)
    /// unless that file already holds exactly these bytes; temporary file + rename, so concurrent writers are safe.
    /// </summary>
    [SupportedOSPlatform("linux")]
    internal static string WritePatchedCopy(string root, byte[] original, byte[] patched)
    {
        string folder = Path.Combine(root, Convert.ToHexStringLower(SHA256.HashData(original))[..16]);
        string target = Path.Combine(folder, BridgeFile);
        if (File.Exists(target) && File.ReadAllBytes(target).AsSpan().SequenceEqual(patched)) return target;
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string temp = Path.Combine(folder, $"{BridgeFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(patched);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return target;
    }

    /// <summary>The cache folder: <see cref="CacheVariable"/>, else <c>$XDG_CACHE_HOME/spikeinit/native</c>, else <c>~/.cache/spikeinit/native</c>.</summary>
    internal static string CacheRoot()
    {
        string? chosen = Environment.GetEnvironmentVariable(CacheVariable);
        if (!string.IsNullOrWhiteSpace(chosen)) return Path.GetFullPath(chosen);
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "spikeinit", "native");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home)
            ? Path.Combine(Path.GetTempPath(), $"spikeinit-{Environment.UserName}", "native")
            : Path.Combine(home, ".cache", "spikeinit", "native");
    }

    /// <summary>
    /// The bridge TorchSharp's load by name finds first: the host's native search folders (deps.json), TorchSharp's
    /// own folder (a NuGet package's <c>lib/TFM</c> in a notebook), then the NuGet package folders.
    /// </summary>
    private static string? FindBridge()
    {
        Assembly torchSharp = typeof(torch).Assembly;       // typeof does not run torch's static constructor
        var folders = new List<string>(NativeSearchFolders());
        string assemblyFolder = Path.GetDirectoryName(torchSharp.Location) ?? "";
        if (assemblyFolder.Length > 0)
        {
            folders.Add(assemblyFolder);
            folders.Add(Path.Combine(assemblyFolder, NativeFolder));
            folders.Add(Path.GetFullPath(Path.Combine(assemblyFolder, "..", "..", NativeFolder)));
        }
        string version = TorchRuntime.InformationalVersion(torchSharp);
        folders.AddRange(PackageRoots().Select(root => Path.Combine(root, "torchsharp", version, NativeFolder)));
        return folders.Select(f => Path.Combine(f, BridgeFile)).FirstOrDefault(File.Exists);
    }

    /// <summary>libtorch.so: beside the bridge, in the native search folders, or in the libtorch-cpu-linux-x64 package.</summary>
    private static string? FindLibTorch(string bridgeFolder)
    {
        var folders = new List<string> { bridgeFolder };
        folders.AddRange(NativeSearchFolders());
        string? version = typeof(NativeBridge).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LibTorchVersion")?.Value;
        // A bridge inside a NuGet package folder (ROOT/torchsharp/VERSION/runtimes/linux-x64/native) names ROOT.
        string bridgeRoot = Path.GetFullPath(Path.Combine(bridgeFolder, "..", "..", "..", "..", ".."));
        foreach (string root in PackageRoots().Prepend(bridgeRoot))
        {
            string package = Path.Combine(root, "libtorch-cpu-linux-x64");
            if (version is not null) folders.Add(Path.Combine(package, version, NativeFolder));
        }
        return folders.Select(f => Path.Combine(f, LibTorchFile)).FirstOrDefault(File.Exists);
    }

    private static string[] NativeSearchFolders() =>
        (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>NuGet's global package folder (NUGET_PACKAGES or ~/.nuget/packages) and its fallback folders.</summary>
    private static IEnumerable<string> PackageRoots()
    {
        string? global = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrWhiteSpace(global))
            global = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        yield return global;
        foreach (string fallback in (Environment.GetEnvironmentVariable("NUGET_FALLBACK_PACKAGES") ?? "")
                     .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            yield return fallback;
    }
}
