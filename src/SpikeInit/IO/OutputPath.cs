namespace SpikeInit.IO;

/// <summary>
/// Checks an output path before any work starts, without creating anything: a command that would fail at its end on a
/// file in the way or an unwritable folder fails at once instead, naming the option. An output is a regular file or a
/// folder (existing or to be made): never a device, a FIFO, a socket or a symbolic link, so nothing outside is replaced.
/// </summary>
public static class OutputPath
{
    /// <summary>
    /// Requires that <paramref name="folder"/> is a folder or can be made one: no file in the way, and its nearest existing
    /// ancestor writable. Returns the folder.
    /// </summary>
    public static string Folder(string folder, string option)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (new DirectoryInfo(folder).LinkTarget is { } target)
            throw new IOException($"{option} = {folder} is a symbolic link (to {target}); give a real folder or one to create");
        if (System.IO.File.Exists(folder)) throw new IOException($"{option} = {folder} is a file, not a folder");
        Writable(Path.GetFullPath(folder), folder, option);
        return folder;
    }

    /// <summary>
    /// Requires that <paramref name="file"/> ends in <paramref name="extension"/> (e.g. <c>.png</c>), is not a folder, and can
    /// be written (its folder can be made and written). Returns the file.
    /// </summary>
    public static string File(string file, string option, string extension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        ArgumentNullException.ThrowIfNull(extension);
        if (!file.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{option} = {file} must be a {extension} file");
        if (Directory.Exists(file)) throw new IOException($"{option} = {file} is a folder, not a {extension} file");
        AtomicFile.RequireReplaceable(file, option);
        Writable(Path.GetDirectoryName(Path.GetFullPath(file))!, file, option);
        return file;
    }

    private static void Writable(string folder, string given, string option)
    {
        string? existing = folder;
        while (existing is not null && !Directory.Exists(existing))
        {
            if (System.IO.File.Exists(existing)) throw new IOException($"{option} = {given}: {existing} is a file, not a folder");
            existing = Path.GetDirectoryName(existing);
        }
        if (existing is null) throw new IOException($"{option} = {given}: no such drive or root");
        string probe = Path.Combine(existing, $".spikeinit-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (System.IO.File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UnauthorizedAccessException($"{option} = {given}: cannot write in {existing} ({e.Message})", e);
        }
    }
}
