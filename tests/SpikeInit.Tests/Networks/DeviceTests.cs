using TorchSharp;

namespace SpikeInit.Tests;

/// <summary>
/// Every tensor a network makes follows its device. No GPU is here, but libtorch's "meta" device (shapes without data)
/// is a second device: a network moved there and run on meta input fails with "found at least two devices" if any
/// step makes a tensor on the CPU (the host kernels are CPU-only and must fall back to their tensor form).
/// Convolutions have no meta kernel in libtorch, so conv networks are not covered by this check.
/// </summary>
public sealed class DeviceTests
{
    public static TheoryData<string> Networks() => ["lif-mlp", "cuba", "recurrent", "exc-inh", "dale", "alif", "learned-lif", "bntt", "skip-readout", "slstm", "recurrent-tebn"];

    private static NetworkSpec Spec(string name) => name switch
    {
        "lif-mlp" => Architectures.DeepDense(20, 16, 3, new LifNeuron(new LifParameters(0.5, 1.0, LifReset.SubtractNextStep)), encoder: true, outputs: 4),
        "cuba" => Architectures.CurrentBased(20, [16, 16], 4),
        "recurrent" => Architectures.ShallowRecurrent(20, 16, 4),
        "exc-inh" => Architectures.DeepDense(20, 16, 2, new CubaExcInhNeuron(new CubaExcInhParameters()), encoder: false, outputs: 4),
        "dale" => Architectures.Dale(20, 12, 4, 4),
        "alif" => NetworkSpec.Builder(20).Recurrent(16, new AlifNeuron()).DenseReadout(4, new LifNeuron(new LifParameters(0.9, 1, LifReset.None))).Build(),
        "learned-lif" => Architectures.DeepDense(20, 16, 2, new LifNeuron(), outputs: 4).WithLearnedNeurons(),
        "bntt" => Architectures.Normalized(Architectures.DeepDense(20, 16, 2, new LifNeuron(), outputs: 4), new NormSpec(SpikeInit.Layers.NormKind.Bntt, Steps: 5)),
        "slstm" => NetworkSpec.Builder(20).Slstm(16, new SlstmNeuron()).DenseReadout(4, new LifNeuron(new LifParameters(0.9, 1, LifReset.None))).Build(),
        "skip-readout" => Architectures.DeepDense(20, 16, 2, new LifNeuron(), outputs: 4) with { SkipReadout = true },
        "recurrent-tebn" => Architectures.Normalized(NetworkSpec.Builder(20).Recurrent(16, new AlifNeuron()).Dense(4, new LifNeuron()).Build(), new NormSpec(SpikeInit.Layers.NormKind.Tebn, Steps: 5)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void A_network_runs_on_the_device_it_was_moved_to(string name)
    {
        var meta = new Device(DeviceType.META);
        using var net = SpikingNetwork.Create(Spec(name), new Generator(1));
        net.to(meta);
        using var noGrad = no_grad();
        NetworkRun run = net.Run(zeros([5, 2, 20], device: meta), record: Recording.Spikes);
        Assert.Equal(DeviceType.META, run.Output.device_type);
        Assert.Equal([2, 4], run.Output.shape);
        Assert.All(run.Layers, l => Assert.Equal(DeviceType.META, l.Spikes!.device_type));
    }
}
