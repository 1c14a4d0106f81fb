using SpikeInit.Initialization;
using SpikeInit.Theory;

namespace SpikeInit.Tests;

/// <summary>
/// A non-leaky integrate-and-fire neuron with soft reset, defined here and nowhere else: nothing outside this type (no
/// theory, initializer or network code) knows it, yet it runs in networks and is initialized and predicted — the
/// "one file per neuron model" promise of docs/ARCHITECTURE.md (a registry line in NeuronModels.All adds a CLI name and
/// model.json support).
/// </summary>
internal sealed record IfNeuron : Neuron<LifParameters>
{
    public IfNeuron(double theta = 1.0) : base(new LifParameters(1.0, theta, LifReset.SubtractBeforeDecay), new ArcTan()) { }
    public override string Description => $"IF(theta={Parameters.Theta})";
    public override NeuronDynamics Dynamics => new(1.0, 1.0, null, LifReset.SubtractBeforeDecay, SynapticCurrent: false);
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) => Lif.Initial(shape, dtype, device);
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state) => Lif.Step(current, Expect<LifState>(state), Parameters, Surrogate);
}

public class NeuronModelTests
{
    [Fact]
    public void EveryRegisteredModelBuildsFromDefaultsAndRoundTripsThroughModelJson()
    {
        foreach (NeuronModel model in NeuronModels.All)
        {
            Neuron neuron = model.Build();
            Assert.IsType(model.Type, neuron);
            Assert.Equal(model.Name, neuron.Name);
            var spec = new NetworkSpec([3], [new DenseLayer(4, neuron)]);
            NetworkSpec back = ModelStore.SpecFromJson(ModelStore.ToJson(spec));
            Assert.Equal(neuron, ((DenseLayer)back.Layers[0]).Neuron);
            Assert.Contains($"\"model\": \"{model.Name}\"", ModelStore.ToJson(spec), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RegistryResolvesAliasesAndOptionsAndNamesTheValidModelsOnError()
    {
        Assert.Equal("cuba-lif", NeuronModels.Get("CUBA").Name);
        var lif = (LifNeuron)NeuronModels.Get("lif").Build(new Settings([new("beta", "0.9"), new("reset", "post")]));
        Assert.Equal(0.9, lif.Parameters.Beta);
        Assert.Equal(LifReset.ZeroAfterInput, lif.Parameters.Reset);
        string message = Assert.Throws<ArgumentException>(() => NeuronModels.Get("izhikevich")).Message;
        foreach (NeuronModel m in NeuronModels.All) Assert.Contains(m.Name, message, StringComparison.Ordinal);
        Assert.Contains("beta = '0,5'", Assert.Throws<ArgumentException>(() => NeuronModels.Get("lif").Build(new Settings([new("beta", "0,5")]))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => NeuronModels.Get("lif").Build(new Settings([new("reset", "3")])));
    }

    [Fact]
    public void CurrentBasedKernelFromItsOwnStepEqualsStorksDiscretisation()
    {
        // stork's loop (docs/THEORY.md §F3.2): k[0] = 0, U <- lm U + (1 - lm) I, I <- ls I, for floor(10 max(tau)/dt) steps.
        const double tauMem = 20e-3, tauSyn = 10e-3, dt = 1e-3;
        double lm = Math.Exp(-dt / tauMem), ls = Math.Exp(-dt / tauSyn), u = 0, i = 1;
        var expected = new double[200];
        for (int t = 0; t < expected.Length; t++) { expected[t] = u; u = lm * u + (1 - lm) * i; i *= ls; }
        var neuron = new CubaLifNeuron(new CubaLifParameters(dt, tauMem, tauSyn));
        T.Close(expected, neuron.Kernel(), 1e-12, "kernel");
        KernelIntegrals eps = neuron.KernelIntegrals();
        T.Relative(expected.Sum() * dt, eps.Mean, 1e-10, "eps mean");
        T.Relative(expected.Sum(v => v * v) * dt, eps.Square, 1e-10, "eps square");
    }

    [Fact]
    public void ClosedFormKernelIntegralsEqualTheSteppedKernel()
    {
        var lif = new LifNeuron(new LifParameters(beta: 0.9, gain: 1.3));
        KernelIntegrals closed = lif.KernelIntegrals();
        double[] k = lif.ImpulseResponse(600);
        T.Relative(k.Sum(), closed.Mean, 1e-9, "LIF eps mean");
        T.Relative(k.Sum(v => v * v), closed.Square, 1e-9, "LIF eps square");
        var ding = new KLambdaNeuron(new KLambdaParameters(0.8, 0.2, 1.0));
        T.Relative(ding.ImpulseResponse(300).Sum(), ding.KernelIntegrals().Mean, 1e-9, "k/lambda eps mean");
    }

    [Fact]
    public void ExcitatoryInhibitoryNeuronIsAFullModel()
    {
        var ei = new CubaExcInhNeuron(new CubaExcInhParameters(tauExc: 10e-3, tauInh: 20e-3));
        var exc = new CubaLifNeuron(new CubaLifParameters(2e-3, 20e-3, 10e-3)).KernelIntegrals();
        var inh = new CubaLifNeuron(new CubaLifParameters(2e-3, 20e-3, 20e-3)).KernelIntegrals();
        T.Relative(exc.Mean, ei.KernelIntegrals().Mean, 1e-10, "excitatory eps");
        T.Relative(inh.Square, ei.InhibitoryKernelIntegrals().Square, 1e-10, "inhibitory eps");
        T.Relative(inh.Mean, ei.InhibitoryKernelIntegrals().Mean, 1e-10, "inhibitory eps mean");

        // In a network: [B, 2N] currents (excitatory | inhibitory), [B, N] spikes; the step equals the kernel's.
        using var scope = NewDisposeScope();
        Tensor current = rand([3, 8], generator: new Generator(1)) * 3;
        var (spikes, state) = ei.Step(current, ei.InitialState(current.shape, current.dtype, current.device));
        Assert.Equal([3L, 4L], spikes.shape);
        var (_, reference) = CubaExcInhLif.Step(current[.., ..4], current[.., 4..], CubaExcInhLif.Initial([3, 4], current.dtype, current.device), ei.Parameters, ei.Surrogate);
        Assert.Equal(T.Array(reference.Xe), T.Array(((CubaExcInhState)state).Xe));
        Assert.Equal(T.Array(reference.Xi), T.Array(((CubaExcInhState)state).Xi));
        Assert.Throws<ArgumentException>(() => ei.Step(rand(3, 7), state));
    }

    [Fact]
    public void AModelDefinedInOneFileWorksWithNetworksInitializersAndTheory()
    {
        var neuron = new IfNeuron(theta: 0.5);
        using var net = SpikingNetwork.Create(Architectures.DeepDense(50, 50, 3, neuron), new Generator(3));
        var records = NetworkInitializer.Initialize(net, Initializers.Create("micheli"), InputStatistics.Gaussian(), new Generator(4));
        Prediction first = records[1].Theory!;
        Assert.Equal(PredictionRegime.FirstStep, first.Regime);
        T.Relative(1.0, first.MembraneStd!.Value, 1e-12, "micheli preserves sigma = 1");
        using var scope = NewDisposeScope();
        NetworkRun run = net.Run(randn(4, 50), 5, Recording.Spikes);
        Assert.Equal(4, run.Layers.Count);
        Assert.Contains("does not decay", Assert.Throws<ArgumentException>(() => neuron.KernelIntegrals()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExcitatoryInhibitoryLayersRunAndRoundTripThroughModelStore()
    {
        var ei = new CubaExcInhNeuron();
        var spec = new NetworkSpec([20], [new DenseLayer(6, ei), new DenseLayer(3, new CubaLifNeuron())]);
        using var net = SpikingNetwork.Create(spec, new Generator(5));
        Assert.Equal([12L, 20L], ((Layers.DenseBlock)net.Blocks[0]).Weight.shape);   // 6 neurons x (excitatory, inhibitory)
        Assert.Equal([3L, 6L], ((Layers.DenseBlock)net.Blocks[1]).Weight.shape);
        string dir = Directory.CreateTempSubdirectory("spikeinit-ei-").FullName;
        try
        {
            using var scope = NewDisposeScope();
            Tensor x = (rand([30, 4, 20], generator: new Generator(6)) < 0.3).to(ScalarType.Float32);
            NetworkRun run = net.Run(x, record: Recording.Spikes);
            Assert.Equal([30L, 4L, 6L], run.Layers[0].Spikes!.shape);
            ModelStore.Save(net, dir);
            using var back = ModelStore.Load(dir);
            Assert.Equal(T.Array(run.Output), T.Array(back.Run(x).Output));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        Assert.Contains("cuba-exc-inh", Assert.Throws<ArgumentException>(() => SpikingNetwork.Create(new NetworkSpec([4], [new EncoderLayer(ei)]))).Message, StringComparison.Ordinal);
    }
}
