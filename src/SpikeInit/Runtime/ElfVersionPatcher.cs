using System.Text;

namespace SpikeInit.Runtime;

// TorchSharp 0.107's libLibTorchSharp.so (built with GCC 13) lists GLIBCXX_3.4.32 as needed only because of a bare
// reference to std::ios_base_library_init, which no relocation uses; Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so
// the loader refuses the library. A weak requirement that is missing is not fatal: NativeBridge writes a copy with
// that one requirement made weak (a 2-byte change) and loads it.

/// <summary>Edits the version-needed table (<c>.gnu.version_r</c>) of ELF64 little-endian files.</summary>
internal static class ElfVersionPatcher
{
    /// <summary>Section type <c>SHT_GNU_verneed</c>.</summary>
    public const uint ShtGnuVerneed = 0x6ffffffe;

    /// <summary>Flag <c>VER_FLG_WEAK</c> of <c>vna_flags</c>.</summary>
    public const ushort VerFlagWeak = 0x2;

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="versionName"/>.</summary>
    /// <exception cref="InvalidDataException">The image is not a well-formed ELF64 little-endian file.</exception>
    public static ElfPatchOutcome MakeVersionWeak(byte[] image, string versionName)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file (bad magic)");
        if (image[4] != 2 || image[5] != 1)
            throw new InvalidDataException("only ELF64 little-endian files are supported");

        ulong shoff = U64(image, 0x28);
        int shentsize = U16(image, 0x3A);
        int shnum = U16(image, 0x3C);
        if (shoff == 0 || shnum == 0) throw new InvalidDataException("ELF file has no section headers");
        if (shentsize < 64) throw new InvalidDataException("ELF section header size " + shentsize + " is too small");
        Check(image, shoff, (ulong)shentsize * (ulong)shnum, "section header table");

        bool found = false, changed = false;
        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (U32(image, sh + 4) != ShtGnuVerneed) continue;
            ulong secOff = U64(image, sh + 0x18), secSize = U64(image, sh + 0x20);
            int link = (int)U32(image, sh + 0x28), count = (int)U32(image, sh + 0x2C);
            Check(image, secOff, secSize, ".gnu.version_r");
            if (link <= 0 || link >= shnum) throw new InvalidDataException(".gnu.version_r links to a missing string table");
            int strSh = checked((int)shoff + link * shentsize);
            ulong strOff = U64(image, strSh + 0x18), strSize = U64(image, strSh + 0x20);
            Check(image, strOff, strSize, "version string table");

            ulong need = secOff;
            for (int i = 0; i < count; i++)
            {
                Check(image, need, 16, "Elf64_Verneed");
                int auxCount = U16(image, (int)need + 2);
                ulong aux = need + U32(image, (int)need + 8);
                for (int j = 0; j < auxCount; j++)
                {
                    Check(image, aux, 16, "Elf64_Vernaux");
                    uint nameOffset = U32(image, (int)aux + 8);
                    if (ReadString(image, strOff, strSize, nameOffset) == versionName)
                    {
                        found = true;
                        int flagsAt = (int)aux + 4;
                        ushort flags = (ushort)U16(image, flagsAt);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            flags |= VerFlagWeak;
                            image[flagsAt] = (byte)(flags & 0xff);
                            image[flagsAt + 1] = (byte)(flags >> 8);
                            changed = true;
                        }
                    }
                    uint nextAux = U32(image, (int)aux + 12);
                    if (nextAux == 0) break;
                    aux += nextAux;
                }
                uint next = U32(image, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        if (!found) return ElfPatchOutcome.NotRequired;
        return changed ? ElfPatchOutcome.Patched : ElfPatchOutcome.AlreadyWeak;
    }

    /// <summary>
    /// True when the libstdc++ this process uses defines <paramref name="versionName"/>: the one already mapped into
    /// the process (<c>/proc/self/maps</c>), else the first of the usual Debian/Ubuntu/Fedora paths that exists; false
    /// when it does not or when no libstdc++ is found.
    /// </summary>
    public static bool SystemLibStdCxxDefines(string versionName)
    {
        string? library = LoadedLibStdCxx() ?? Array.Find(
        [
            "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        ], File.Exists);
        return library is not null && ContainsCString(File.ReadAllBytes(library), versionName);
    }

    /// <summary>The path of the libstdc++ mapped into this process, or null (not Linux, or not loaded yet).</summary>
    internal static string? LoadedLibStdCxx()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (string line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0) continue;
            string path = line[slash..];
            if (Path.GetFileName(path).StartsWith("libstdc++.so", StringComparison.Ordinal) && File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>True when <paramref name="data"/> contains <paramref name="text"/> followed by a NUL byte.</summary>
    public static bool ContainsCString(byte[] data, string text)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data.AsSpan().IndexOf(Encoding.ASCII.GetBytes(text + "\0")) >= 0;
    }

    private static string ReadString(byte[] image, ulong tableOffset, ulong tableSize, uint offset)
    {
        if (offset >= tableSize) throw new InvalidDataException("version name offset outside the string table");
        int start = checked((int)(tableOffset + offset));
        int end = start;
        int limit = checked((int)(tableOffset + tableSize));
        while (end < limit && image[end] != 0) end++;
        return Encoding.ASCII.GetString(image, start, end - start);
    }

    private static void Check(byte[] image, ulong offset, ulong length, string what)
    {
        if (offset > (ulong)image.Length || length > (ulong)image.Length - offset)
            throw new InvalidDataException(what + " lies outside the file (truncated or corrupt ELF)");
    }

    private static int U16(byte[] b, int o) => b[o] | (b[o + 1] << 8);
    private static uint U32(byte[] b, int o) => (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
    private static ulong U64(byte[] b, int o) => U32(b, o) | ((ulong)U32(b, o + 4) << 32);
}
