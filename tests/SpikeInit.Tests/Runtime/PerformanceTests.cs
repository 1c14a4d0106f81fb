using System.Runtime.InteropServices;
using SpikeInit.Runtime;
using SpikeInit.Training;
using TorchSharp.Modules;

namespace SpikeInit.Tests;

/// <summary>The runtime settings and the host Adam kernel against the tensor formulas.</summary>
public partial class PerformanceTests
{
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);

    [Fact]
    public void Process_tuning_sets_the_native_OpenMP_policy_and_keeps_freed_memory()
    {
        if (!OperatingSystem.IsLinux()) return;
        TuningReport report = ProcessTuning.Apply();
        Assert.True(report.KeepsFreedMemory);
        string expected = report.OmpWaitPolicy ?? throw new Xunit.Sdk.XunitException("no OpenMP wait policy applied");
        Assert.Equal(expected, Marshal.PtrToStringUTF8(GetEnv("OMP_WAIT_POLICY")));    // the native environment libgomp reads
        Assert.Same(report, ProcessTuning.Apply());                                     // once per process
    }

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.01, false)]
    [InlineData(0.05, true)]
    public void Host_Adam_equals_the_tensor_formulas(double weightDecay, bool decoupled)
    {
        // float32 parameters take the host kernel, float64 ones the tensor path: same formulas, so after five steps
        // the two agree to float32 rounding. 1003 elements: a ragged last vector.
        using var g = new Generator(11);
        Tensor start = randn([1003], generator: g, dtype: ScalarType.Float64);
        Tensor[] grads = [.. Enumerable.Range(0, 5).Select(_ => randn([1003], generator: g, dtype: ScalarType.Float64))];
        var host = new Parameter(start.to(ScalarType.Float32).clone());
        var reference = new Parameter(start.clone());
        var a = new AdamOptimizer([host], 0.01, weightDecay, decoupled);
        var b = new AdamOptimizer([reference], 0.01, weightDecay, decoupled);
        foreach (Tensor grad in grads)
        {
            host.grad = grad.to(ScalarType.Float32);
            reference.grad = grad.clone();
            a.Step();
            b.Step();
        }
        double error = (host.to(ScalarType.Float64) - reference).abs().max().item<double>();
        Assert.True(error < 1e-5, $"host and tensor Adam differ by {error}");
        Assert.True((reference - start).abs().max().item<double>() > 0.04, "the parameters barely moved: the test would not see a wrong update");
    }

    [Fact]
    public void Zero_grad_releases_gradients_and_training_still_accumulates_afresh()
    {
        var p = new Parameter(ones(3));
        var adam = new AdamOptimizer([p], 0.1);
        (p * 2).sum().backward();
        adam.ZeroGrad();
        Assert.Null(p.grad);
        (p * 3).sum().backward();
        Assert.Equal(3f, p.grad!.data<float>()[0]);
    }
}
