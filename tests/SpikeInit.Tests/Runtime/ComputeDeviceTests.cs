using SpikeInit.Runtime;
using SpikeInit.Training;
using TorchSharp;

namespace SpikeInit.Tests;

/// <summary>The <c>--device</c> values: the valid forms, the refused ones, and CUDA in a process without it (TorchSharp's CPU build here).</summary>
public sealed class ComputeDeviceTests
{
    [Theory]
    [InlineData(null, "cpu")]
    [InlineData("", "cpu")]
    [InlineData("cpu", "cpu")]
    [InlineData(" CPU ", "cpu")]
    [InlineData("cuda", "cuda")]
    [InlineData("CUDA:0", "cuda:0")]
    [InlineData("cuda:3", "cuda:3")]
    public void Valid_devices_parse_to_their_canonical_name(string? text, string name) => Assert.Equal(name, ComputeDevice.Parse(text).ToString());

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("cuda:")]
    [InlineData("cuda:1.5")]
    [InlineData("cuda:+1")]
    [InlineData("cpu:0")]
    [InlineData("mps")]
    public void Invalid_devices_are_refused_naming_the_option_and_the_valid_forms(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => ComputeDevice.Parse(text));
        Assert.Contains($"--device = '{text}' is not a device", e.Message, StringComparison.Ordinal);
        Assert.Contains("cpu, cuda (the first GPU) or cuda:N", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_CPU_resolves_and_CUDA_without_CUDA_names_the_package_and_the_driver()
    {
        Assert.Equal(DeviceType.CPU, ComputeDevice.Cpu.Resolve().type);
        Assert.Equal("0.107.0", ComputeDevice.TorchSharpVersion);
        if (torch.cuda.is_available()) return;    // a CUDA build: nothing to refuse
        foreach (string device in (string[])["cuda", "cuda:0", "cuda:1"])
        {
            var e = Assert.Throws<ArgumentException>(() => ComputeDevice.Parse(device).Resolve());
            foreach (string part in (string[])[$"--device {device}", "CUDA is not available in this process", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows", "0.107.0", "TorchSharp-cpu", "driver"])
                Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_run_configuration_keeps_the_canonical_device_and_checks_it_before_any_work()
    {
        Assert.Equal("cpu", new RunConfiguration().Device);
        Assert.Equal("cuda:2", new RunConfiguration { Device = "CUDA:2" }.Device);
        Assert.Throws<ArgumentException>(() => new RunConfiguration { Device = "gpu" });
        Assert.Equal("cpu", RunOptions.Configuration(new Settings([new("device", "cpu")]), 1, null).Device);
        Assert.Contains(RunOptions.Specs, s => s == ComputeDevice.Spec);
        if (!torch.cuda.is_available())
            Assert.Contains("CUDA is not available", Assert.Throws<ArgumentException>(() => RunOptions.Configuration(new Settings([new("device", "cuda")]), 1, null)).Message, StringComparison.Ordinal);
    }
}
