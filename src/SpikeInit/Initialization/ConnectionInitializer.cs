namespace SpikeInit.Initialization;

/// <summary>
/// An initializer whose distribution for a connection depends only on that connection's fan-in and fan-out (all the
/// baselines, Micheli, the slant asymptote); a recurrent connection is initialized by the same rule with its own fan-in.
/// </summary>
public abstract record ConnectionInitializer : Initializer
{
    /// <summary>The distribution for a connection with the given fan-in/fan-out onto the context's neurons.</summary>
    protected abstract WeightDistribution Weights(InitContext context, int fanIn, int fanOut);

    /// <summary>The bias (0 unless the method sets one).</summary>
    protected virtual double Bias(InitContext context) => 0;

    /// <summary>Notes on assumptions (none by default).</summary>
    protected virtual IReadOnlyList<string> Notes(InitContext context) => [];

    /// <inheritdoc />
    public override LayerPlan Plan(InitContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        WeightDistribution w = Weights(context, context.FanIn, context.FanOut);
        WeightDistribution? rec = context.HasRecurrence ? Weights(context, context.RecurrentFanIn, context.Units) : null;
        double b = Bias(context);
        return new LayerPlan(w, rec, b, null, LayerTheory.Predict(Name, context, w, rec, b, LayerTheory.DefaultRegime(context.Neuron), notes: Notes(context)));
    }
}
