using System.Runtime.InteropServices;

namespace SpikeInit.IO;

/// <summary>
/// Writes files atomically and durably: to a temporary sibling, flushed to disk, then renamed over the target, and the
/// folder flushed so that the rename survives a power loss. A target that is not a regular file (a device, a FIFO, a
/// socket) or is a symbolic link is refused, so that no write can replace <c>/dev/null</c> or write through a link.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a temporary path, flushes it to disk, then moves it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        RequireReplaceable(path, "file");
        string temp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            write(temp);
            Sync(temp);
            File.Move(temp, path, overwrite: true);
            Sync(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, temp => File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false)));

    /// <summary>
    /// Refuses <paramref name="path"/> as an output when it exists (or dangles) as a symbolic link or as anything but a
    /// regular file, naming <paramref name="option"/>.
    /// </summary>
    public static void RequireReplaceable(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new FileInfo(path);
        if (info.LinkTarget is { } target)
            throw new IOException($"{option} = {path} is a symbolic link (to {target}); give the file itself, not a link");
        if (info.Exists && Data.DataFile.KindOf(path) is { } kind && kind != "regular file")
            throw new IOException($"{option} = {path} is a {kind}, not a regular file; it is never replaced");
    }

    /// <summary>
    /// Flushes a file or a folder to disk (<c>fsync</c>). A folder is opened read-only through the runtime's own native
    /// library (.NET cannot open a folder as a stream); where that is not available (not Unix) the call does nothing.
    /// </summary>
    public static void Sync(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (File.Exists(path))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            stream.Flush(flushToDisk: true);
            return;
        }
        if (OperatingSystem.IsWindows() || !Directory.Exists(path)) return;
        try
        {
            nint fd = Open(path, 0 /* PAL O_RDONLY */, 0);
            if (fd < 0) return;                               // unreadable folder: nothing we can flush
            _ = FSync(fd);
            _ = Close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // a runtime without System.Native: the rename is still atomic, only not flushed
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Open(string path, int flags, int mode);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_FSync")]
    private static partial int FSync(nint fd);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Close")]
    private static partial int Close(nint fd);
}
