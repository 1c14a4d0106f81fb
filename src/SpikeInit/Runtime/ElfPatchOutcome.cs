namespace SpikeInit.Runtime;

/// <summary>Result of making one version requirement of an ELF file weak.</summary>
internal enum ElfPatchOutcome
{
    /// <summary>The requirement was strong and is now weak.</summary>
    Patched,

    /// <summary>The requirement was already weak; nothing changed.</summary>
    AlreadyWeak,

    /// <summary>The file does not require that version; nothing changed.</summary>
    NotRequired,
}
