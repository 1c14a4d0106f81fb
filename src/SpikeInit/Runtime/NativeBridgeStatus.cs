namespace SpikeInit.Runtime;

/// <summary>The outcome of <see cref="NativeBridge.Prepare"/>.</summary>
/// <param name="Action">What was done.</param>
/// <param name="Bridge">The <c>libLibTorchSharp.so</c> TorchSharp would load (null when none was found or not Linux).</param>
/// <param name="PatchedCopy">The patched copy that was loaded instead (null unless <see cref="NativeBridgeAction.LoadedPatchedCopy"/>).</param>
/// <param name="Detail">One line for people: why, or what failed.</param>
public sealed record NativeBridgeStatus(NativeBridgeAction Action, string? Bridge, string? PatchedCopy, string Detail)
{
    /// <summary>One line, as <c>spikeinit info</c> prints it.</summary>
    public override string ToString() => Action switch
    {
        NativeBridgeAction.LoadedPatchedCopy => $"patched copy {PatchedCopy} ({Detail})",
        _ => $"{EnumNames.Of(Action)}: {Detail}",
    };
}
