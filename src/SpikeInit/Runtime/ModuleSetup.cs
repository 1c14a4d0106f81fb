using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SpikeInit.Runtime;

/// <summary>Runs when SpikeInit is first used, before any of its types touches TorchSharp.</summary>
internal static class ModuleSetup
{
    /// <summary>Prepares TorchSharp's native bridge (<see cref="NativeBridge.Prepare"/>; never throws).</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
                     Justification = "The native bridge must be prepared before TorchSharp's static constructor runs, in every host (apps, tools, notebooks).")]
    internal static void PrepareNativeBridge() => NativeBridge.Prepare();
}
