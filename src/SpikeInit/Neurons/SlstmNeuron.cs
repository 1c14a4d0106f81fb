using SpikeInit.Surrogates;
using static TorchSharp.torch;

namespace SpikeInit.Neurons;

/// <summary>
/// The spiking LSTM cell as a neuron model (<see cref="Slstm.Step"/>). Its per-step current stacks the four gates'
/// pre-activations along dimension 1 (<see cref="CurrentsPerNeuron"/> = 4): for N cells the current is <c>[B, 4N]</c>
/// (input, forget, candidate, output gate); the outputs h and the cell states c are <c>[B, N]</c>. The cell has no leak
/// and no threshold of its own (every step is at 0), so the LIF theory of the initializers does not apply to it.
/// Default surrogate: fast sigmoid (Herranz-Celotti &amp; Rouat's most robust one).
/// </summary>
public sealed record SlstmNeuron : Neuron<SlstmParameters>
{
    /// <summary>Creates the model.</summary>
    public SlstmNeuron(SlstmParameters? parameters = null, Surrogate? surrogate = null)
        : base(parameters ?? new SlstmParameters(), surrogate ?? new NormalizedSurrogate(SurrogateShape.FastSigmoid)) { }

    /// <inheritdoc />
    public override string Description => $"sLSTM(spiking gates, outputs in {{-1, 0, 1}}, {Surrogate.Name})";

    /// <summary>Unit gain; the cell state is kept as long as the forget gate is open (leak 1); no reset.</summary>
    public override NeuronDynamics Dynamics => new(1.0, 1.0, null, LifReset.None, SynapticCurrent: false);

    /// <inheritdoc />
    public override int CurrentsPerNeuron => 4;

    /// <inheritdoc />
    public override NeuronState InitialState(long[] shape, ScalarType dtype, Device device) => Slstm.Initial(CellShape(shape), dtype, device);

    /// <inheritdoc />
    public override (Tensor Spikes, NeuronState State) Step(Tensor current, NeuronState state)
    {
        ArgumentNullException.ThrowIfNull(current);
        CellShape(current.shape);
        Tensor[] gates = current.chunk(4, 1);
        var (h, next) = Slstm.Step(gates[0], gates[1], gates[2], gates[3], Expect<SlstmState>(state), Parameters, Surrogate);
        return (h, next);
    }

    private static long[] CellShape(long[] currentShape)
    {
        if (currentShape.Length < 2 || currentShape[1] % 4 != 0)
            throw new ArgumentException($"an sLSTM cell needs a current [B, 4N, ...] (input, forget, candidate and output gates), got [{string.Join(", ", currentShape)}]");
        long[] shape = [.. currentShape];
        shape[1] /= 4;
        return shape;
    }
}
