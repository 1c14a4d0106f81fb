using System.Diagnostics;
using System.Globalization;
using SpikeInit.Fuzz;

// Seeded mutation fuzzing of the binary data readers. Every input runs on a worker thread with a timeout and an
// allocation watch; a finding is any exception other than the readers' documented clean ones (InvalidDataException,
// ArgumentException, FileNotFoundException with a one-line message starting with the file's path), a timeout, an
// allocation over the cap, or an accepted input whose result contradicts the file (the oracle). Findings are saved to
// --out with their inputs; the exit code is 1 when there is any.
//
//   dotnet run -c Release --project tools/SpikeInit.Fuzz -- [--runs 20000] [--seed 1] [--formats idx,idx-gz,nmnist,shd,npm]
//                                                          [--timeout-ms 5000] [--max-alloc-mb 256] [--out fuzz-findings]
var options = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["--runs"] = "20000", ["--seed"] = "1", ["--formats"] = "idx,idx-gz,nmnist,shd,npm", ["--timeout-ms"] = "5000", ["--max-alloc-mb"] = "256", ["--out"] = "fuzz-findings",
};
for (int i = 0; i < args.Length; i++)
{
    if (!options.ContainsKey(args[i]) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"error: unknown option or missing value '{args[i]}'; options: {string.Join(", ", options.Keys)}");
        return 2;
    }
    options[args[i]] = args[++i];
}
int runs = int.Parse(options["--runs"], CultureInfo.InvariantCulture);
int seed = int.Parse(options["--seed"], CultureInfo.InvariantCulture);
var timeout = TimeSpan.FromMilliseconds(int.Parse(options["--timeout-ms"], CultureInfo.InvariantCulture));
long allocationCap = long.Parse(options["--max-alloc-mb"], CultureInfo.InvariantCulture) << 20;
string findings = Path.GetFullPath(options["--out"]);
string scratch = Directory.CreateTempSubdirectory("spikeinit-fuzz-").FullName;
string[] formats = options["--formats"].Split(',', StringSplitOptions.RemoveEmptyEntries);

var targets = Targets.All(scratch);
foreach (string f in formats)
    if (targets.All(t => t.Name != f))
    {
        Console.Error.WriteLine($"error: unknown format '{f}'; choose from {string.Join(", ", targets.Select(t => t.Name))}");
        return 2;
    }

int totalFindings = 0;
bool hung = false;
try
{
    Console.WriteLine($"{"format",-8} {"runs",7} {"clean",7} {"accepted",8} {"findings",8} {"max alloc",10} {"time",7}");
    foreach (Target target in targets.Where(t => formats.Contains(t.Name)))
    {
        var mutator = new Mutator(seed * 7919 + target.Name.GetHashCode(StringComparison.Ordinal) % 1000);
        int clean = 0, accepted = 0;
        long maxAllocation = 0;
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        string path = Path.Combine(scratch, "input" + target.Extension);
        string work = Path.Combine(scratch, "work");
        int run;
        for (run = 0; run < runs && !hung; run++)
        {
            byte[] origin = target.Seeds[run % target.Seeds.Count];
            byte[] input = target.Inner is { } inner && target.Outer is { } outer && mutator.Chance(0.5)
                ? outer(mutator.Mutate(inner(origin), target.HeaderBytes))
                : mutator.Mutate(origin, target.HeaderBytes);
            File.WriteAllBytes(path, input);
            var task = Task.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                Exception? error = null;
                string? wrong = null;
                try
                {
                    target.Read(path, work);
                    wrong = target.Oracle?.Invoke(path, input);
                }
#pragma warning disable CA1031 // the harness classifies every exception
                catch (Exception e)
#pragma warning restore CA1031
                {
                    error = e;
                }
                return (error, wrong, GC.GetAllocatedBytesForCurrentThread() - before);
            });
            string? finding;
            if (!task.Wait(timeout))
            {
                finding = $"timeout (> {timeout.TotalMilliseconds} ms)";
                hung = true;                                        // the thread cannot be stopped: save the input and end
            }
            else
            {
                var (error, wrong, allocated) = task.Result;
                maxAllocation = Math.Max(maxAllocation, allocated);
                finding = error switch
                {
                    null when wrong is not null => "silent change: " + wrong,
                    null when allocated > allocationCap => $"allocated {allocated} bytes",
                    null => null,
                    InvalidDataException or ArgumentException or FileNotFoundException
                        when error.Message.StartsWith(path, StringComparison.Ordinal) && !error.Message.Contains('\n', StringComparison.Ordinal)
                        => allocated > allocationCap ? $"allocated {allocated} bytes before failing" : null,
                    InvalidDataException or ArgumentException or FileNotFoundException => "unclean message (several lines or not starting with the path)",
                    _ => $"{error.GetType().Name} at {error.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("SpikeInit", StringComparison.Ordinal))?.Trim()}",
                };
                if (finding is null && error is null) accepted++;
                else if (finding is null) clean++;
                if (finding is not null) finding += $" ({error?.GetType().Name}: {error?.Message.Split('\n')[0]})";
            }
            if (finding is null) continue;
            string key = System.Text.RegularExpressions.Regex.Replace(finding.Split(" (", 2)[0], @"\d+", "N");
            kinds[key] = kinds.GetValueOrDefault(key) + 1;
            if (kinds[key] <= 3)
            {
                Directory.CreateDirectory(findings);
                string stem = Path.Combine(findings, $"{target.Name}-{run}");
                File.WriteAllBytes(stem + target.Extension, input);
                File.WriteAllText(stem + ".txt", finding + Environment.NewLine);
                Console.WriteLine($"  finding [{target.Name} #{run}]: {finding}");
            }
        }
        int found = kinds.Values.Sum();
        totalFindings += found;
        Console.WriteLine($"{target.Name,-8} {run,7} {clean,7} {accepted,8} {found,8} {maxAllocation / 1048576.0,7:F1} MiB {clock.Elapsed.TotalSeconds,5:F0} s");
        foreach (var (kind, count) in kinds) Console.WriteLine($"    {count} x {kind}");
    }
}
finally
{
    if (!hung) Directory.Delete(scratch, recursive: true);
}
Console.WriteLine(totalFindings == 0 ? "no findings" : $"{totalFindings} findings; inputs in {findings}");
return totalFindings == 0 ? 0 : 1;
