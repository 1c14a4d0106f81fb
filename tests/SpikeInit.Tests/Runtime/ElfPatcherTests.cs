using System.Text;
using SpikeInit.Runtime;

namespace SpikeInit.Tests;

public class ElfPatcherTests
{
    /// <summary>
    /// Builds a minimal ELF64 LE file: header, .dynstr, .gnu.version_r with one Verneed (libstdc++.so.6) and
    /// the given Vernaux names, .shstrtab, section headers.
    /// </summary>
    internal static byte[] BuildElf(params (string Name, ushort Flags)[] versions)
    {
        var dynstr = new List<byte> { 0 };
        int Add(List<byte> table, string s) { int at = table.Count; table.AddRange(Encoding.ASCII.GetBytes(s)); table.Add(0); return at; }
        int file = Add(dynstr, "libstdc++.so.6");
        int[] names = versions.Select(v => Add(dynstr, v.Name)).ToArray();
        var shstr = new List<byte> { 0 };
        int nDyn = Add(shstr, ".dynstr"), nVer = Add(shstr, ".gnu.version_r"), nSh = Add(shstr, ".shstrtab");

        var verneed = new List<byte>();
        void U16(List<byte> b, int v) { b.Add((byte)v); b.Add((byte)(v >> 8)); }
        void U32(List<byte> b, long v) { for (int i = 0; i < 4; i++) b.Add((byte)(v >> (8 * i))); }
        void U64(List<byte> b, long v) { for (int i = 0; i < 8; i++) b.Add((byte)(v >> (8 * i))); }
        U16(verneed, 1); U16(verneed, versions.Length); U32(verneed, file); U32(verneed, 16); U32(verneed, 0);
        for (int i = 0; i < versions.Length; i++)
        {
            U32(verneed, 0x1234 + i); U16(verneed, versions[i].Flags); U16(verneed, 2 + i); U32(verneed, names[i]);
            U32(verneed, i == versions.Length - 1 ? 0 : 16);
        }

        int dynOff = 64, verOff = dynOff + dynstr.Count, shstrOff = verOff + verneed.Count;
        int shOff = (shstrOff + shstr.Count + 7) / 8 * 8;
        var image = new List<byte>();
        image.AddRange([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);
        image.AddRange(new byte[8]);
        U16(image, 3); U16(image, 62); U32(image, 1); U64(image, 0); U64(image, 0); U64(image, shOff);
        U32(image, 0); U16(image, 64); U16(image, 56); U16(image, 0); U16(image, 64); U16(image, 4); U16(image, 3);
        image.AddRange(dynstr); image.AddRange(verneed); image.AddRange(shstr);
        while (image.Count < shOff) image.Add(0);
        void Section(int name, uint type, long offset, long size, int link, int info)
        {
            U32(image, name); U32(image, type); U64(image, 0); U64(image, 0); U64(image, offset); U64(image, size);
            U32(image, link); U32(image, info); U64(image, 1); U64(image, 0);
        }
        Section(0, 0, 0, 0, 0, 0);
        Section(nDyn, 3, dynOff, dynstr.Count, 0, 0);
        Section(nVer, ElfVersionPatcher.ShtGnuVerneed, verOff, verneed.Count, 1, 1);
        Section(nSh, 3, shstrOff, shstr.Count, 0, 0);
        return image.ToArray();
    }

    [Fact]
    public void Sets_the_weak_flag_of_exactly_the_named_requirement_and_changes_nothing_else()
    {
        byte[] original = BuildElf(("GLIBCXX_3.4.30", 0), ("GLIBCXX_3.4.32", 0), ("CXXABI_1.3", 0));
        byte[] image = (byte[])original.Clone();

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MakeVersionWeak(image, "GLIBCXX_3.4.32"));

        int[] differing = Enumerable.Range(0, image.Length).Where(i => image[i] != original[i]).ToArray();
        Assert.Single(differing);
        int verOff = 64 + (1 + "libstdc++.so.6".Length + 1 + 15 + 15 + 11);
        int flagsOfSecondAux = verOff + 16 + 16 + 4;
        Assert.Equal(flagsOfSecondAux, differing[0]);
        Assert.Equal(ElfVersionPatcher.VerFlagWeak, image[flagsOfSecondAux]);
    }

    [Fact]
    public void Is_idempotent_and_reports_absent_versions()
    {
        byte[] image = BuildElf(("GLIBCXX_3.4.32", 0));
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MakeVersionWeak(image, "GLIBCXX_3.4.32"));
        byte[] once = (byte[])image.Clone();
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.MakeVersionWeak(image, "GLIBCXX_3.4.32"));
        Assert.Equal(once, image);
        Assert.Equal(ElfPatchOutcome.NotRequired, ElfVersionPatcher.MakeVersionWeak(image, "GLIBCXX_9.9"));
        Assert.Equal(once, image);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Writes_the_patched_copy_once_atomically_even_with_concurrent_writers()
    {
        if (!OperatingSystem.IsLinux()) return;
        string root = Path.Combine(Path.GetTempPath(), $"spikeinit-native-{Guid.NewGuid():N}");
        try
        {
            byte[] original = BuildElf(("GLIBCXX_3.4.32", 0));
            byte[] patched = (byte[])original.Clone();
            Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MakeVersionWeak(patched, "GLIBCXX_3.4.32"));

            string[] paths = new string[16];
            Parallel.For(0, paths.Length, i => paths[i] = NativeBridge.WritePatchedCopy(root, original, patched));

            Assert.Single(paths.Distinct());
            Assert.StartsWith(root, paths[0], StringComparison.Ordinal);
            Assert.Equal(patched, File.ReadAllBytes(paths[0]));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(paths[0])!));            // no temporary file left
            DateTime written = File.GetLastWriteTimeUtc(paths[0]);
            Assert.Equal(paths[0], NativeBridge.WritePatchedCopy(root, original, patched));
            Assert.Equal(written, File.GetLastWriteTimeUtc(paths[0]));                     // an exact copy is reused

            File.WriteAllBytes(paths[0], original);                                          // a wrong copy is replaced
            Assert.Equal(paths[0], NativeBridge.WritePatchedCopy(root, original, patched));
            Assert.Equal(patched, File.ReadAllBytes(paths[0]));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(63)]
    [InlineData(100)]
    [InlineData(150)]
    public void Truncated_files_give_a_clear_error(int length)
    {
        byte[] image = BuildElf(("GLIBCXX_3.4.32", 0))[..length];
        var e = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MakeVersionWeak(image, "GLIBCXX_3.4.32"));
        Assert.Matches("ELF|outside the file", e.Message);
    }

    [Fact]
    public void Rejects_non_elf_and_32_bit_files()
    {
        byte[] notElf = new byte[128];
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MakeVersionWeak(notElf, "X")).Message);
        byte[] elf32 = BuildElf(("X", 0));
        elf32[4] = 1;
        Assert.Contains("ELF64", Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MakeVersionWeak(elf32, "X")).Message);
    }

    [Fact]
    public void The_runtime_loads_a_patched_copy_from_the_cache_and_leaves_the_shipped_bridge_untouched()
    {
        string bridge = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!OperatingSystem.IsLinux() || !File.Exists(bridge)) return;
        NativeBridgeStatus status = NativeBridge.Prepare();
        using var x = TorchSharp.torch.ones(2, 2);
        Assert.Equal(8.0f, x.matmul(x).sum().item<float>());

        byte[] shipped = File.ReadAllBytes(bridge);
        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MakeVersionWeak((byte[])shipped.Clone(), "GLIBCXX_3.4.32"));
        string maps = File.ReadAllText("/proc/self/maps");
        if (ElfVersionPatcher.SystemLibStdCxxDefines("GLIBCXX_3.4.32"))
        {
            Assert.Equal(NativeBridgeAction.NotNeeded, status.Action);
            return;
        }
        Assert.Equal(NativeBridgeAction.LoadedPatchedCopy, status.Action);
        Assert.Equal(bridge, status.Bridge);
        Assert.Contains(status.PatchedCopy!, maps, StringComparison.Ordinal);                   // the copy is what runs
        Assert.DoesNotContain(bridge, maps, StringComparison.Ordinal);
        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.MakeVersionWeak(File.ReadAllBytes(status.PatchedCopy!), "GLIBCXX_3.4.32"));
    }
}
