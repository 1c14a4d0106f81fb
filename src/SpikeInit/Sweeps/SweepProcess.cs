using System.Diagnostics;

namespace SpikeInit.Sweeps;

/// <summary>
/// Runs a sweep's runs as child processes of the same program (robust where runs go in parallel: each has its own
/// libtorch and memory), each run's standard output and error going to <c>DIR/logs/run-NNNN.log</c>.
/// </summary>
public static class SweepProcess
{
    /// <summary>
    /// The command that starts this program again: its apphost (<c>spikeinit</c>) when there is one beside
    /// <paramref name="entryAssembly"/>, else <c>dotnet</c> with the assembly.
    /// </summary>
    public static IReadOnlyList<string> SelfCommand(string entryAssembly)
    {
        ArgumentException.ThrowIfNullOrEmpty(entryAssembly);
        string apphost = Path.ChangeExtension(entryAssembly, OperatingSystem.IsWindows() ? ".exe" : null);
        if (File.Exists(apphost)) return [apphost];
        string? host = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return [host, entryAssembly];
    }

    /// <summary>
    /// An executor that runs <paramref name="command"/> followed by a run's arguments and <paramref name="extra"/>
    /// (e.g. <c>--quiet</c>), logging into <paramref name="logs"/>; the result is the child's exit code.
    /// </summary>
    public static Func<IReadOnlyList<string>, int> Executor(IReadOnlyList<string> command, string logs, IReadOnlyList<string>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(logs);
        return arguments =>
        {
            Directory.CreateDirectory(logs);
            string name = arguments.SkipWhile(a => a is not ("--out" or "--resume")).Skip(1).FirstOrDefault() is { } folder ? Path.GetFileName(folder) : "run";
            var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in command.Skip(1).Concat(arguments).Concat(extra ?? [])) info.ArgumentList.Add(a);
            using var log = new StreamWriter(Path.Combine(logs, name + ".log"), append: true) { AutoFlush = true };
            var gate = new object();
            void Write(string? line)
            {
                if (line is null) return;
                lock (gate) log.WriteLine(line);
            }
            log.WriteLine("$ " + string.Join(" ", info.ArgumentList.Prepend(info.FileName)));
            using var child = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
            child.OutputDataReceived += (_, e) => Write(e.Data);
            child.ErrorDataReceived += (_, e) => Write(e.Data);
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            child.WaitForExit();
            return child.ExitCode;
        };
    }
}
