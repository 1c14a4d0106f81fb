using SpikeInit.Neurons;
using SpikeInit.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Layers;

/// <summary>
/// An excitatory/inhibitory layer obeying Dale's law (stork's <c>DalianLayer</c>, docs/THEORY.md §F7): N_E excitatory and
/// N_I inhibitory current-based neurons (<see cref="CubaExcInhNeuron"/>, N = N_E + N_I, E first). Every weight is a
/// non-negative magnitude; the sign is the source's: the input and the E spikes enter the excitatory current pool, the I
/// spikes the inhibitory pool, which the neuron subtracts. Parameters (rows: the N target neurons, E then I):
/// <c>weight</c> <c>[N, in]</c> (input → E/I, excitatory), <c>inhibitory_weight</c> <c>[N, N_I]</c> (I → E/I) and,
/// when recurrent, <c>recurrent_weight</c> <c>[N, N_E]</c> (E → E/I, excitatory). Own spikes of step t act at step t + 1
/// (no self-masking: N_rec = N_E, N_inh = N_I as in the spec). The block passes on the E spikes only (the readout reads
/// E); its recorded spikes and membranes are those of all N neurons. Forward uses the weights as stored (stork);
/// <see cref="Constrain"/> clamps them at 0 after each optimizer step, which the trainer calls.
/// </summary>
public sealed class DaleBlock : SpikingBlock
{
    private readonly Parameter weight;
    private readonly Parameter inhibitory_weight;
    private readonly Parameter? recurrent_weight;

    /// <summary>Creates the layer with the magnitudes of PyTorch-default initial weights (|U(±1/√fan_in)|).</summary>
    public DaleBlock(string name, long inputs, long excitatory, long inhibitory, bool recurrent, CubaExcInhNeuron neuron,
                     ScalarType dtype, Generator? generator) : base(name, neuron, BlockOutput.Spikes)
    {
        Excitatory = excitatory >= 1 ? excitatory : throw new ArgumentOutOfRangeException(nameof(excitatory), excitatory, "excitatory must be >= 1");
        Inhibitory = inhibitory >= 1 ? inhibitory : throw new ArgumentOutOfRangeException(nameof(inhibitory), inhibitory, "inhibitory must be >= 1");
        long n = excitatory + inhibitory;
        weight = Magnitudes(DefaultInit.Uniform([n, inputs], inputs, dtype, generator));
        inhibitory_weight = Magnitudes(DefaultInit.Uniform([n, inhibitory], inhibitory, dtype, generator));
        recurrent_weight = recurrent ? Magnitudes(DefaultInit.Uniform([n, excitatory], excitatory, dtype, generator)) : null;
        RegisterComponents();
    }

    /// <summary>Excitatory neurons N_E (the block's output width).</summary>
    public long Excitatory { get; }

    /// <summary>Inhibitory neurons N_I.</summary>
    public long Inhibitory { get; }

    /// <summary>Input → E/I weights <c>[N_E + N_I, in]</c> (≥ 0, excitatory).</summary>
    public Parameter Weight => weight;

    /// <summary>I → E/I weights <c>[N_E + N_I, N_I]</c> (≥ 0, entering with a minus sign).</summary>
    public Parameter InhibitoryWeight => inhibitory_weight;

    /// <summary>E → E/I weights <c>[N_E + N_I, N_E]</c> (≥ 0), or null for a layer without recurrent excitation.</summary>
    public Parameter? RecurrentWeight => recurrent_weight;

    /// <inheritdoc />
    public override long[] OutputShape(long[] inputShape) => [Excitatory];

    /// <inheritdoc />
    public override void Constrain()
    {
        using var _ = no_grad();
        weight.relu_();
        inhibitory_weight.relu_();
        recurrent_weight?.relu_();
    }

    /// <inheritdoc />
    protected override Tensor Connect(Tensor input)
    {
        Tensor excitatory = SpikeLinear.Apply(input, weight, null);
        return cat([excitatory, zeros_like(excitatory)], 1);
    }

    /// <summary>
    /// The feedback as one matrix <c>[2N, N]</c> over the previous spikes (E then I): the excitatory pool receives
    /// E spikes through <c>recurrent_weight</c>, the inhibitory pool I spikes through <c>inhibitory_weight</c>.
    /// </summary>
    protected override Tensor EffectiveRecurrentWeight()
    {
        long n = Excitatory + Inhibitory;
        Tensor fromE = recurrent_weight ?? zeros([n, Excitatory], weight.dtype, weight.device);
        Tensor top = cat([fromE, zeros([n, Inhibitory], weight.dtype, weight.device)], 1);
        Tensor bottom = cat([zeros([n, Excitatory], weight.dtype, weight.device), inhibitory_weight], 1);
        return cat([top, bottom], 0);
    }

    /// <inheritdoc />
    protected override Tensor Emitted(Tensor spikes)
    {
        ArgumentNullException.ThrowIfNull(spikes);
        return spikes.narrow(spikes.dim() - 1, 0, Excitatory);
    }

    private static Parameter Magnitudes(Parameter p)
    {
        using (no_grad()) p.abs_();
        return p;
    }
}
