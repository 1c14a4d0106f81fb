using SpikeInit.Layers;
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
    public static TheoryData<string> Networks() => ["lif-mlp", "cuba", "recurrent", "exc-inh", "dale", "alif", "learned-lif", "bntt", "skip-readout", "slstm", "initial-membrane", "recurrent-tebn"];

    private static NetworkSpec Spec(string name) => name switch
    {
        "lif-mlp" => Architectures.DeepDense(20, 16, 3, new LifNeuron(new LifParameters(0.5, 1.0, LifReset.SubtractNextStep)), encoder: true, outputs: 4),
        "cuba" => Architectures.CurrentBased(20, [16, 16], 4),
        "recurrent" => Architectures.ShallowRecurrent(20, 16, 4),
        "exc-inh" => Architectures.DeepDense(20, 16, 2, new CubaExcInhNeuron(new CubaExcInhParameters()), encoder: false, outputs: 4),
        "dale" => Architectures.Dale(20, 12, 4, 4),
        "alif" => NetworkSpec.Builder(20).Recurrent(16, new AlifNeuron()).DenseReadout(4, new LifNeuron(new LifParameters(0.9, 1, LifReset.None))).Build(),
        "learned-lif" => Architectures.DeepDense(20, 16, 2, new LifNeuron(), outputs: 4).WithLearnedNeurons(),
        "bntt" => Architectures.Normalized(Architectures.DeepDense(20, 16, 2, new LifNeuron(), outputs: 4), new NormSpec(NormKind.Bntt, Steps: 5)),
        "slstm" => NetworkSpec.Builder(20).Slstm(16, new SlstmNeuron()).DenseReadout(4, new LifNeuron(new LifParameters(0.9, 1, LifReset.None))).Build(),
        "skip-readout" => Architectures.DeepDense(20, 16, 2, new LifNeuron(), outputs: 4) with { SkipReadout = true },
        "initial-membrane" => Architectures.DeepDense(20, 16, 2, new LifNeuron(), encoder: false, outputs: 4)
                              with { InitialMembrane = new InitialMembrane([new MembraneDistribution(0.1, 0.3), new MembraneDistribution(0, 0.2), null], Seed: 3) },
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

    /// <summary>The fused host kernels, each with the gate that sends other devices to the neuron's tensor steps.</summary>
    public static TheoryData<string> Kernels() => ["lif", "cuba", "exc-inh", "recurrent-lif"];

    [Theory]
    [MemberData(nameof(Kernels))]
    public void A_fused_kernel_falls_back_to_the_tensor_steps_off_the_CPU_forward_and_backward(string kernel)
    {
        var meta = new Device(DeviceType.META);
        var arcTan = new ArcTan(2);   // libtorch has no meta kernel for abs (SuperSpike's derivative); an error inside backward would end the test host
        var lif = new LifNeuron(new LifParameters(0.5, 1.0, LifReset.SubtractNextStep)) { Surrogate = arcTan };
        Neuron neuron = kernel switch { "cuba" => new CubaLifNeuron() { Surrogate = arcTan }, "exc-inh" => new CubaExcInhNeuron(new CubaExcInhParameters()) { Surrogate = arcTan }, _ => lif };
        using var weight = zeros([8, 8], device: meta);
        Func<Tensor, bool> supports = kernel switch
        {
            "lif" => x => LifSequence.Supports(x, lif.Parameters),
            "cuba" => x => CubaLifSequence.Supports(x, ((CubaLifNeuron)neuron).Parameters),
            "exc-inh" => x => CubaExcInhSequence.Supports(x, ((CubaExcInhNeuron)neuron).Parameters),
            _ => x => RecurrentLifSequence.Supports(x, x.device_type == DeviceType.CPU ? zeros([8, 8]) : weight, lif.Parameters),
        };
        using var onCpu = zeros([5, 2, 8]);
        using var x = zeros([5, 2, 8], device: meta).requires_grad_();
        Assert.True(supports(onCpu), "the same float32 shape on the CPU takes the fused kernel");   // so only the device sends it elsewhere
        Assert.False(supports(x));
        var (spikes, membrane) = kernel == "recurrent-lif" ? neuron.RecurrentSequence(x, weight, membrane: true) : neuron.Sequence(x, membrane: true);
        Assert.Equal(DeviceType.META, spikes.device_type);
        Assert.Equal(DeviceType.META, membrane!.device_type);
        Assert.Equal([5L, 2L], spikes.shape[..2]);
        spikes.sum().backward();      // the surrogate's backward in tensor form
        Assert.Equal(DeviceType.META, x.grad!.device_type);
        Assert.Equal(x.shape, x.grad.shape);
    }

    [Fact]
    public void Training_steps_on_another_device_use_the_tensor_optimizers_and_the_host_drawn_initialization()
    {
        var meta = new Device(DeviceType.META);
        using var net = SpikingNetwork.Create(Spec("recurrent"), new Generator(1));
        net.to(meta);
        var records = SpikeInit.Initialization.NetworkInitializer.Initialize(net, SpikeInit.Initialization.Initializers.Create("kaiming"),
                                                                               new SpikeInit.Initialization.InputStatistics(0.1, 0.09, binary: true), new Generator(2));
        Assert.NotEmpty(records);
        Assert.All(net.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        foreach (var kind in new[] { SpikeInit.Training.OptimizerKind.Adam, SpikeInit.Training.OptimizerKind.Sgd })
        {
            var optimizer = SpikeInit.Training.Optimizer.Create(kind, net.parameters(), 0.01);
            NetworkRun run = net.Run(zeros([5, 2, 20]), record: Recording.Spikes);   // a host batch: the network moves it
            Assert.Equal(DeviceType.META, SpikeInit.Training.Losses.CrossEntropy(run.Output, zeros([2], ScalarType.Int64)).device_type);   // host labels follow
            net.parameters().Select(p => p.sum()).Aggregate((a, b) => a + b).backward();   // (the surrogates' meta backward is the kernel test's)
            Assert.False(SpikeInit.Training.HostAdam.Supports(net.parameters().First(), net.parameters().First().grad!));
            optimizer.Step();
            Assert.All(net.parameters(), p => Assert.Equal(DeviceType.META, p.device_type));
        }
    }
}
