using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Neurons;
using static TorchSharp.torch;

var neuron = new LifNeuron(new LifParameters(beta: 0.5, theta: 1.0));     // Micheli's LIF, arctan surrogate
NetworkSpec spec = Architectures.DeepDense(inputs: 1000, width: 1000, depth: 10, neuron);   // encoder + 10 layers
using var net = SpikingNetwork.Create(spec, new Generator(42));             // seeded PyTorch-default weights

var statistics = InputStatistics.Gaussian();                               // Micheli: N(0, 1) into the encoder
var init = NetworkInitializer.Initialize(net, Initializers.Create("micheli"), statistics, new Generator(42));
Console.WriteLine($"predicted membrane std, last layer: {init[^1].Theory!.MembraneStd:F3}");   // 1: variance preserved

using var scope = NewDisposeScope();
Tensor input = randn(16, 1000);                                             // [batch, features], constant current
NetworkRun run = net.Run(input, steps: 20, record: Recording.Spikes);
foreach (LayerRecord layer in run.Layers)
    Console.WriteLine($"layer {layer.Index}: {layer.Spikes!.sum().item<float>()} spikes");
Tensor counts = run.Output;                                                 // [16, 1000] spike counts of the last layer
Console.WriteLine($"output: {counts.sum().item<float>()} spikes");

string folder = Path.Combine(Path.GetTempPath(), "spikeinit-quickstart");
ModelStore.Save(net, folder);                                               // model.json + weights.bin
using var again = ModelStore.Load(folder);
Console.WriteLine($"saved and reloaded {again.Spec.Layers.Count} layers ({folder})");
