// Sets the VER_FLG_WEAK bit on one version requirement (Elf64_Vernaux) of an ELF64 little-endian
// shared object, so that the dynamic loader tolerates a missing library version.
//
// Why: TorchSharp 0.107's libLibTorchSharp.so (built with GCC 13) lists GLIBCXX_3.4.32 as needed only
// because of a bare reference to std::ios_base_library_init, which no relocation uses. Debian 12's
// libstdc++ stops at GLIBCXX_3.4.30, so the loader refuses the library. A weak requirement that is
// missing is not fatal. See README "Troubleshooting".
//
// This single file is compiled twice: into the MSBuild inline task (Directory.Build.targets, which
// adds the ITask wrapper below) and into the unit tests (SPIKEINIT_NO_MSBUILD defined).
#nullable enable
// Compiled by MSBuild for an older framework too: keep to APIs available there.
#pragma warning disable CA1510, IDE0161, IDE0005
using System;
using System.IO;
using System.Text;

namespace SpikeInit.Build
{
    /// <summary>Result of <see cref="ElfVersionPatcher.MakeVersionWeak(byte[], string)"/>.</summary>
    public enum ElfPatchOutcome
    {
        /// <summary>The requirement was strong and is now weak.</summary>
        Patched,
        /// <summary>The requirement was already weak; nothing changed.</summary>
        AlreadyWeak,
        /// <summary>The file does not require that version; nothing changed.</summary>
        NotRequired,
    }

    /// <summary>Edits the version-needed table (<c>.gnu.version_r</c>) of ELF64 little-endian files.</summary>
    public static class ElfVersionPatcher
    {
        /// <summary>Section type <c>SHT_GNU_verneed</c>.</summary>
        public const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Flag <c>VER_FLG_WEAK</c> of <c>vna_flags</c>.</summary>
        public const ushort VerFlagWeak = 0x2;

        /// <summary>Patches <paramref name="path"/> in place (only when a change is needed).</summary>
        public static ElfPatchOutcome PatchFile(string path, string versionName)
        {
            byte[] image = File.ReadAllBytes(path);
            ElfPatchOutcome outcome = MakeVersionWeak(image, versionName);
            if (outcome == ElfPatchOutcome.Patched)
            {
                // Written in place: same size, two bytes differ. (MSBuild compiles this file against an older
                // framework, so no File.Move overwrite; a partial write would only leave the shipped state.)
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
                    stream.Write(image, 0, image.Length);
            }
            return outcome;
        }

        /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="versionName"/>.</summary>
        /// <exception cref="InvalidDataException">The image is not a well-formed ELF64 little-endian file.</exception>
        public static ElfPatchOutcome MakeVersionWeak(byte[] image, string versionName)
        {
            if (image is null) throw new ArgumentNullException(nameof(image));
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
        /// True when the system's libstdc++ (the first of the usual Debian/Ubuntu/Fedora paths that exists)
        /// defines <paramref name="versionName"/>; false when it does not or when no libstdc++ is found.
        /// </summary>
        public static bool SystemLibStdCxxDefines(string versionName)
        {
            string[] candidates =
            {
                "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/lib64/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate)) return ContainsCString(File.ReadAllBytes(candidate), versionName);
            }
            return false;
        }

        /// <summary>True when <paramref name="data"/> contains <paramref name="text"/> followed by a NUL byte.</summary>
        public static bool ContainsCString(byte[] data, string text)
        {
            if (data is null) throw new ArgumentNullException(nameof(data));
            byte[] needle = Encoding.ASCII.GetBytes(text + "\0");
            for (int i = 0; i + needle.Length <= data.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && data[i + j] == needle[j]) j++;
                if (j == needle.Length) return true;
            }
            return false;
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

#if !SPIKEINIT_NO_MSBUILD
    /// <summary>MSBuild task: makes a version requirement weak when the system lacks that version.</summary>
    public sealed class MakeElfVersionWeak : Microsoft.Build.Utilities.Task
    {
        /// <summary>The output copy of the library to patch.</summary>
        [Microsoft.Build.Framework.Required] public string File { get; set; } = "";

        /// <summary>The version name, e.g. GLIBCXX_3.4.32.</summary>
        [Microsoft.Build.Framework.Required] public string Version { get; set; } = "";

        /// <inheritdoc />
        public override bool Execute()
        {
            if (!System.IO.File.Exists(File)) return true;
            if (ElfVersionPatcher.SystemLibStdCxxDefines(Version))
            {
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "libstdc++ defines " + Version + "; " + File + " left as shipped");
                return true;
            }
            try
            {
                ElfPatchOutcome outcome = ElfVersionPatcher.PatchFile(File, Version);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, "SpikeInit: " + Version + " requirement of " + File + ": " + outcome);
                return true;
            }
            catch (Exception e) when (e is InvalidDataException || e is IOException || e is UnauthorizedAccessException)
            {
                Log.LogError("SpikeInit: could not patch " + File + ": " + e.Message);
                return false;
            }
        }
    }
#endif
}
