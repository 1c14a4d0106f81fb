[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SpikeInit.Tests;

/// <summary>Applies SpikeInit's process tuning before any test touches libtorch, as the CLI does at its entry point.</summary>
internal static class TestProcess
{
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Tune() => Runtime.ProcessTuning.Apply();
}

/// <summary>Small helpers: float64 tensors from arrays, and arrays back.</summary>
internal static class T
{
    public static Tensor Vec(params double[] values) => tensor(values, ScalarType.Float64);

    /// <summary>[steps, neurons] from rows.</summary>
    public static Tensor Rows(double[][] rows) => stack(rows.Select(r => tensor(r, ScalarType.Float64)));

    public static double[] Array(Tensor t) => t.to(ScalarType.Float64).contiguous().data<double>().ToArray();

    public static void Close(double[] expected, double[] actual, double tolerance, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                        $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance})");
    }

    /// <summary>Writes <paramref name="bytes"/> to DIR/NAME and returns the path.</summary>
    public static string Write(string dir, string name, byte[] bytes)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static void Relative(double expected, double actual, double tolerance, string what = "") =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected),
                    $"{what}: expected {expected:R}, got {actual:R} (relative tolerance {tolerance})");
}

/// <summary>A test class with its own temporary folder <c>dir</c>, deleted after each test.</summary>
public abstract class TempFolderTest(string prefix) : IDisposable
{
#pragma warning disable CA1051 // the derived tests read the folder as a plain field
    /// <summary>The folder.</summary>
    protected readonly string dir = Directory.CreateTempSubdirectory(prefix).FullName;
#pragma warning restore CA1051

    /// <inheritdoc />
    public void Dispose()
    {
        Directory.Delete(dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
