using System.Runtime.InteropServices;

namespace SpikeInit.Data;

/// <summary>
/// The checks every reader makes before it opens a data file: the file exists and is a regular file (a FIFO, a device or
/// a socket is refused before opening, so a named pipe cannot hang a reader and <c>/dev/zero</c> cannot feed it forever),
/// and its size is known up front so that sizes claimed in headers can be checked against it before anything is buffered.
/// </summary>
public static partial class DataFile
{
    /// <summary>The size in bytes of <paramref name="path"/>, after checking that it is an existing regular file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The path is a directory, FIFO, device or socket.</exception>
    public static long RequireRegular(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new InvalidDataException($"{path} is a folder, not a data file");
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path} does not exist");
        if (KindOf(path) is { } kind && kind != "regular file")
            throw new InvalidDataException($"{path} is a {kind}, not a regular data file");
        return info.Length;
    }

    /// <summary>What a path is on Unix ("regular file", "FIFO (named pipe)", ...), or null where this cannot be told.</summary>
    internal static string? KindOf(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        // The runtime's own portable stat (System.Native's FileStatus: Flags, then Mode with normalized S_IF* bits).
        var status = new byte[256];
        try
        {
            if (Stat(path, status) != 0) return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        int mode = BitConverter.ToInt32(status, 4) & 0xF000;
        return mode switch
        {
            0x8000 => "regular file",
            0x1000 => "FIFO (named pipe)",
            0x2000 => "character device",
            0x6000 => "block device",
            0xC000 => "socket",
            0x4000 => "folder",
            _ => "special file",
        };
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] status);
}
