namespace SpikeInit.IO;

/// <summary>Writes files atomically: to a temporary sibling, then renamed over the target.</summary>
public static class AtomicFile
{
    /// <summary>Runs <paramref name="write"/> on a temporary path, then moves it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static void WriteText(string path, string text) =>
        Write(path, temp => File.WriteAllText(temp, text, new System.Text.UTF8Encoding(false)));
}
