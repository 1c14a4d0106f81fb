using static TorchSharp.torch;

namespace SpikeInit.Initialization;

/// <summary>
/// An initialization method: from an <see cref="InitContext"/> it plans the weight distributions and bias of one
/// population and predicts the statistics they produce (<see cref="Theory"/>), then draws them (<see cref="Apply"/>).
/// Initializers are immutable values without tensors; randomness comes only from the generator passed to Apply.
/// </summary>
public abstract record Initializer
{
    /// <summary>The command-line name (e.g. <c>micheli</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Plans the initialization of the population described by <paramref name="context"/>.</summary>
    public abstract LayerPlan Plan(InitContext context);

    /// <summary>What the method predicts for the population, before anything is simulated.</summary>
    public Prediction Theory(InitContext context) => Plan(context).Theory;

    /// <summary>Plans and draws the weights (and bias, recurrent weights) in place; returns the prediction.</summary>
    public Prediction Apply(InitContext context, Tensor weight, Tensor? bias = null, Tensor? recurrentWeight = null, Generator? generator = null) =>
        Draw(context, weight, bias, recurrentWeight, generator).Theory;

    /// <summary>
    /// Plans and draws the weights (and bias, recurrent weights) in place; returns the whole plan (prediction and the
    /// surrogate the method recommends, which drawing does not apply).
    /// </summary>
    public LayerPlan Draw(InitContext context, Tensor weight, Tensor? bias = null, Tensor? recurrentWeight = null, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(weight);
        long rowLength = weight.shape.Length < 2 ? -1 : weight.numel() / weight.shape[0];
        if (rowLength != context.FanIn)
            throw new ArgumentException($"weight of shape [{string.Join(", ", weight.shape)}] does not have fan_in = {context.FanIn} inputs per neuron", nameof(weight));
        if (recurrentWeight is not null && (recurrentWeight.dim() != 2 || recurrentWeight.shape[0] != context.Units || recurrentWeight.shape[1] != context.Units))
            throw new ArgumentException($"recurrent weight of shape [{string.Join(", ", recurrentWeight.shape)}] is not [{context.Units}, {context.Units}]", nameof(recurrentWeight));
        LayerPlan plan = Plan(context);
        plan.Apply(weight, bias, recurrentWeight, generator);
        return plan;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
