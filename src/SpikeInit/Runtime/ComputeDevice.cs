using System.Globalization;
using TorchSharp;

namespace SpikeInit.Runtime;

/// <summary>
/// Where networks run: <c>cpu</c>, <c>cuda</c> (the first GPU) or <c>cuda:N</c>. <see cref="Spec"/> is the one
/// <c>--device</c> option of every command that runs networks; <see cref="Parse"/> checks the text, <see cref="Resolve"/>
/// gives libtorch's device and refuses CUDA in a process whose libtorch has none (the CPU packages), naming the package
/// to reference instead. A network is built and initialized on the CPU (so a seed draws the same weights everywhere),
/// then moved; a network's <c>Run</c> and <c>Step</c> move their input to the network's device.
/// </summary>
/// <param name="Type">CPU or CUDA.</param>
/// <param name="Index">The GPU's index for <c>cuda:N</c>; null for <c>cpu</c> and for <c>cuda</c> (the first GPU).</param>
public sealed record ComputeDevice(DeviceType Type, int? Index = null)
{
    /// <summary>The CPU, where networks run by default.</summary>
    public static ComputeDevice Cpu { get; } = new(DeviceType.CPU);

    /// <summary>The option's name (<c>--device</c>).</summary>
    public const string Name = "device";

    /// <summary>The TorchSharp version this library is built against (the CUDA package must have the same).</summary>
    public static string TorchSharpVersion { get; } = typeof(torch).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "?";

    /// <summary>The <c>--device</c> option, as data (training commands take it from <c>RunOptions.Specs</c>, probe and demo directly).</summary>
    public static OptionSpec Spec { get; } = new(Name,
        "Where networks run: cpu, cuda (the first GPU) or cuda:N. Weights are drawn on the CPU, then moved, so a seed gives the same network "
        + $"everywhere; CUDA needs the TorchSharp-cuda-linux or TorchSharp-cuda-windows package ({TorchSharpVersion}) instead of TorchSharp-cpu and an NVIDIA CUDA driver.", "cpu");

    /// <summary>
    /// The device <paramref name="text"/> names (null or empty: the CPU), without checking that it exists; anything else
    /// than <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (N ≥ 0) is an error naming <c>--device</c> and the valid forms.
    /// </summary>
    public static ComputeDevice Parse(string? text)
    {
        string t = text?.Trim().ToLowerInvariant() ?? "";
        if (t is "" or "cpu") return Cpu;
        if (t == "cuda") return new ComputeDevice(DeviceType.CUDA);
        if (t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            return new ComputeDevice(DeviceType.CUDA, index);
        throw new ArgumentException($"--{Name} = '{text}' is not a device: use cpu, cuda (the first GPU) or cuda:N with N = 0, 1, … (the GPU's index)");
    }

    /// <summary>
    /// libtorch's device. CUDA in a process without it (TorchSharp's CPU packages, or no driver) is an error naming
    /// <c>--device</c>, the package to reference and the driver; <c>cuda:N</c> beyond the GPUs present names how many there are.
    /// </summary>
    public torch.Device Resolve()
    {
        if (Type == DeviceType.CPU) return torch.CPU;
        if (!torch.cuda.is_available())
            throw new ArgumentException($"--{Name} {this}: CUDA is not available in this process. SpikeInit runs on TorchSharp's CPU build "
                                        + $"(TorchSharp-cpu); for a GPU, reference TorchSharp-cuda-linux (or TorchSharp-cuda-windows) {TorchSharpVersion} "
                                        + "instead, with an NVIDIA CUDA driver installed; or use --device cpu");
        int count = torch.cuda.device_count();
        if (Index is { } i && i >= count)
            throw new ArgumentException($"--{Name} {this}: this machine has {count} CUDA device{(count == 1 ? "" : "s")} (cuda:0 to cuda:{count - 1})");
        return new torch.Device(DeviceType.CUDA, Index ?? 0);
    }

    /// <summary>The device that <paramref name="settings"/> name under <see cref="Spec"/> (none: the CPU), checked with <see cref="Resolve"/> before any work.</summary>
    public static ComputeDevice From(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ComputeDevice device = Parse(settings.Text(Name));
        _ = device.Resolve();
        return device;
    }

    /// <summary>The name (<see cref="ToString"/>) once <see cref="Resolve"/> has found the device in this process.</summary>
    public string Checked()
    {
        _ = Resolve();
        return ToString();
    }

    /// <summary>The name as the option takes it: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public override string ToString() =>
        Type == DeviceType.CPU ? "cpu" : Index is { } i ? "cuda:" + i.ToString(CultureInfo.InvariantCulture) : "cuda";
}
