// The library namespaces nearly every test uses.
global using SpikeInit.Networks;
global using SpikeInit.Neurons;
global using SpikeInit.Surrogates;
global using static TorchSharp.torch;
