namespace SpikeInit.Runtime;

/// <summary>What <see cref="NativeBridge.Prepare"/> did about TorchSharp's native bridge.</summary>
public enum NativeBridgeAction
{
    /// <summary>Not Linux x64: nothing to do.</summary>
    NotApplicable,

    /// <summary>Switched off by the environment variable <see cref="NativeBridge.SwitchVariable"/>.</summary>
    Disabled,

    /// <summary>No <c>libLibTorchSharp.so</c> was found where TorchSharp looks; TorchSharp reports the missing package.</summary>
    NotFound,

    /// <summary>The bridge loads as shipped (the system libstdc++ has the version, or the bridge does not need it).</summary>
    NotNeeded,

    /// <summary>A copy with the requirement made weak was written to (or found in) the cache and loaded.</summary>
    LoadedPatchedCopy,

    /// <summary>A patched copy was needed but could not be written or loaded (see the detail).</summary>
    Failed,
}
