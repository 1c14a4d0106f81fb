namespace SpikeInit.Training;

/// <summary>
/// The exclusive lock of a run folder: a file <c>.lock</c> held open without sharing (an advisory <c>flock</c> on Unix)
/// while a process writes the run, so that a second <c>train</c> on the same folder gets a clear error instead of mixing
/// its files into the first run's. The operating system releases it when the process exits, however it exits; the file
/// itself stays (deleting it could let two writers lock different files).
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock file's name in a run folder.</summary>
    public const string FileName = ".lock";

    private readonly FileStream stream;

    private RunLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the lock of <paramref name="folder"/> (which must exist), or fails naming the folder.</summary>
    /// <exception cref="IOException">Another process (or another writer in this one) holds the lock.</exception>
    public static RunLock Acquire(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string path = Path.Combine(folder, FileName);
        try
        {
            return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"{folder} is in use by another spikeinit process (it holds {path}); wait for it to finish or stop it, or choose another folder", e);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => stream.Dispose();
}
