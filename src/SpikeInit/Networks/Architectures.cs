using SpikeInit.Neurons;
using SpikeInit.Surrogates;

namespace SpikeInit.Networks;

/// <summary>Architectures of the papers, as <see cref="NetworkSpec"/>s.</summary>
public static class Architectures
{
    /// <summary>
    /// Deep fully connected SNN (Micheli et al.): optionally an encoding layer on the input, then <paramref name="depth"/>
    /// dense layers of <paramref name="width"/> neurons, then optionally a dense output layer of
    /// <paramref name="outputs"/> neurons; spike-count readout.
    /// </summary>
    public static NetworkSpec DeepDense(int inputs, int width, int depth, Neuron neuron, bool encoder = true,
                                        int? outputs = null, bool bias = false)
    {
        Validate.AtLeast(depth, "depth", encoder || outputs is not null ? 0 : 1);
        var b = NetworkSpec.Builder(Validate.AtLeast(inputs, "inputs", 1));
        if (encoder) b.Encoder(neuron);
        for (int l = 0; l < depth; l++) b.Dense(width, neuron, bias);
        if (outputs is { } o) b.Dense(o, neuron, bias);
        return b.Build();
    }

    /// <summary>
    /// Ding et al.'s MNIST conv SNN: c3×3×32–pool2–c3×3×32–pool2–fc500–fc100–fc10, spiking after every connection,
    /// padding 1, max pooling, spike-count readout. Default neuron: k/λ with (0.8, 0.2, 1). <paramref name="inputShape"/>:
    /// <c>[C, H, W]</c> of the encoded images (default <c>[1, 28, 28]</c>; the retina encoding has 2 channels).
    /// </summary>
    public static NetworkSpec DingConvMnist(Neuron? neuron = null, bool bias = true, long[]? inputShape = null)
    {
        Neuron n = neuron ?? new KLambdaNeuron();
        return NetworkSpec.Builder(inputShape ?? [1, 28, 28])
            .Conv(32, 3, n, padding: 1, bias: bias).MaxPool(2)
            .Conv(32, 3, n, padding: 1, bias: bias).MaxPool(2)
            .Flatten()
            .Dense(500, n, bias).Dense(100, n, bias).Dense(10, n, bias)
            .Build();
    }

    /// <summary>
    /// Ding et al.'s VGG-style conv SNN (their VGG-9 for CIFAR10) with first-block width <paramref name="width"/> (w = 128 is
    /// the paper's): c3×3×w, c3×3×w, pool2, c3×3×2w, c3×3×2w, pool2, c3×3×2w ×3, pool2, fc(8w), fc(classes); every
    /// connection followed by k/λ IF neurons (default (0.8, 0.2, 1)), padding 1, bias, max pooling, spike-count readout.
    /// The paper's dropout before the last layer is left out (SpikeInit has no dropout layer).
    /// </summary>
    public static NetworkSpec DingVgg(long[] inputShape, int classes, int width = 128, Neuron? neuron = null)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        Neuron n = neuron ?? new KLambdaNeuron();
        int w = Validate.AtLeast(width, "width", 1);
        var b = NetworkSpec.Builder(inputShape);
        b.Conv(w, 3, n, padding: 1).Conv(w, 3, n, padding: 1).MaxPool(2);
        b.Conv(2 * w, 3, n, padding: 1).Conv(2 * w, 3, n, padding: 1).MaxPool(2);
        b.Conv(2 * w, 3, n, padding: 1).Conv(2 * w, 3, n, padding: 1).Conv(2 * w, 3, n, padding: 1).MaxPool(2);
        return b.Flatten().Dense(8 * w, n).Dense(Validate.AtLeast(classes, "classes", 1), n).Build();
    }

    /// <summary>
    /// Herranz-Celotti &amp; Rouat's recurrent LIF network: <paramref name="layers"/> recurrent layers of
    /// <paramref name="width"/> neurons, then a non-spiking dense readout (leaky integrator without reset) averaged
    /// over time. Default neuron: minus-reset LIF, α = 0.9, θ = 1, fast-sigmoid normalized surrogate.
    /// </summary>
    public static NetworkSpec ShallowRecurrent(int inputs, int width, int outputs, int layers = 2, LifNeuron? neuron = null)
    {
        LifNeuron n = neuron ?? new LifNeuron(new LifParameters(0.9, 1.0, LifReset.SubtractNextStep),
                                              new NormalizedSurrogate(SurrogateShape.FastSigmoid));
        var b = NetworkSpec.Builder(Validate.AtLeast(inputs, "inputs", 1));
        for (int l = 0; l < Validate.AtLeast(layers, "layers", 1); l++) b.Recurrent(width, n);
        var readout = n with { Parameters = n.Parameters with { Reset = LifReset.None } };
        return b.DenseReadout(outputs, readout).WithReadout(Readout.MeanOverTime).Build();
    }

    /// <summary>
    /// Rossbroich et al.'s current-based network (stork): <paramref name="hidden"/> feed-forward layers of CUBA LIF
    /// neurons without bias, then a non-spiking CUBA readout with τ_mem = <paramref name="trialDuration"/>,
    /// τ_syn = 10 ms, U[0] = −1e-3, read out as the maximum over time.
    /// </summary>
    public static NetworkSpec CurrentBased(int inputs, IReadOnlyList<int> hidden, int outputs, CubaLifParameters? neuron = null,
                                           double trialDuration = 0.2)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        CubaLifParameters p = neuron ?? new CubaLifParameters();
        var hiddenNeuron = new CubaLifNeuron(p);
        var readout = new CubaLifNeuron(new CubaLifParameters(p.Dt, trialDuration, 10e-3, p.Theta, reset: false, initialMembrane: -1e-3));
        var b = NetworkSpec.Builder(Validate.AtLeast(inputs, "inputs", 1));
        foreach (int width in hidden) b.Dense(width, hiddenNeuron, bias: false);
        return b.DenseReadout(outputs, readout, bias: false).WithReadout(Readout.MaxOverTime).Build();
    }

    /// <summary>
    /// Rossbroich et al.'s Dalian network (stork notebook 04): one recurrent E/I layer of <paramref name="excitatory"/> E
    /// and <paramref name="inhibitory"/> I neurons (τ_mem 20 ms, τ_exc 10 ms, τ_inh 20 ms), then the non-spiking CUBA readout
    /// of the E spikes (τ_mem = <paramref name="trialDuration"/>, τ_syn = 10 ms, max over time).
    /// </summary>
    public static NetworkSpec Dale(int inputs, int excitatory, int inhibitory, int outputs, double trialDuration = 0.2, bool recurrent = true,
                                   CubaExcInhParameters? neuron = null)
    {
        CubaExcInhParameters p = neuron ?? new CubaExcInhParameters();
        var readout = new CubaLifNeuron(new CubaLifParameters(p.Dt, trialDuration, 10e-3, p.Theta, reset: false, initialMembrane: -1e-3));
        return NetworkSpec.Builder(Validate.AtLeast(inputs, "inputs", 1)).Dale(excitatory, inhibitory, new CubaExcInhNeuron(p), recurrent)
                          .DenseReadout(outputs, readout, bias: false).WithReadout(Readout.MaxOverTime).Build();
    }

    /// <summary>
    /// Rossbroich et al.'s recurrent convolutional network for SHD (stork notebook 03): the first
    /// <paramref name="layers"/> (1–3) of the 1-D conv layers C 16/32/64, kernel 21/7/7, stride 10/3/3, no padding, each
    /// with a recurrent conv (kernel 5, stride 1, padding 2), of CUBA LIF neurons without bias (700 → 68 → 21 → 5), then
    /// flatten and the non-spiking CUBA readout (τ_mem = <paramref name="trialDuration"/>, max over time).
    /// </summary>
    public static NetworkSpec RecurrentConvolutional(int inputs, int layers, int outputs, double trialDuration = 0.2, CubaLifParameters? neuron = null)
    {
        Validate.InRange(layers, "depth", 1, 3);
        CubaLifParameters p = neuron ?? new CubaLifParameters();
        var hidden = new CubaLifNeuron(p);
        var readout = new CubaLifNeuron(new CubaLifParameters(p.Dt, trialDuration, 10e-3, p.Theta, reset: false, initialMembrane: -1e-3));
        int[] channels = [16, 32, 64], kernels = [21, 7, 7], strides = [10, 3, 3];
        var b = NetworkSpec.Builder(Validate.AtLeast(inputs, "inputs", 1));
        for (int l = 0; l < layers; l++) b.RecurrentConv1d(channels[l], kernels[l], hidden, strides[l]);
        return b.Flatten().DenseReadout(outputs, readout, bias: false).WithReadout(Readout.MaxOverTime).Build();
    }

    /// <summary>
    /// <paramref name="spec"/> with <paramref name="norm"/> after every hidden connection: every dense, conv2d and recurrent
    /// layer (its feed-forward current) but the last layer (the output) gets it; null returns the spec unchanged.
    /// </summary>
    public static NetworkSpec Normalized(NetworkSpec spec, NormSpec? norm)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (norm is null) return spec;
        int last = spec.Layers.Count - 1;
        return spec with
        {
            Layers = [.. spec.Layers.Select((l, i) => i == last ? l : l switch
            {
                DenseLayer d => d with { Norm = norm },
                ConvLayer c => c with { Norm = norm },
                RecurrentLayer r => r with { Norm = norm },
                _ => l,
            })],
        };
    }
}
