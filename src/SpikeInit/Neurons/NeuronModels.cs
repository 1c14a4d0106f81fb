using System.Text.Json.Serialization.Metadata;

namespace SpikeInit.Neurons;

/// <summary>
/// Every neuron model by name: the one list the command line, <c>model.json</c> (the <c>model</c> tag) and the probe
/// read. Adding a model = its file in Neurons/ + one line here.
/// </summary>
public static class NeuronModels
{
    private static readonly OptionSpec Theta = new("theta", "Threshold theta > 0 (dimensionless).", "1");
    private static readonly OptionSpec Dt = new("dt", "Time step dt in seconds (> 0), current-based neurons.", "0.002");
    private static readonly OptionSpec TauMem = new("tau-mem", "Membrane time constant tau_mem in seconds (> 0), current-based neurons.", "0.02");

    /// <summary>The names of <see cref="LifReset"/> as the papers call them, besides the kebab-case enum names.</summary>
    public static IReadOnlyDictionary<string, LifReset> ResetAliases { get; } = new Dictionary<string, LifReset>
    {
        ["minus"] = LifReset.SubtractNextStep, ["subtract-before-decay"] = LifReset.SubtractBeforeDecay,
        ["pre"] = LifReset.ZeroBeforeDecay, ["post"] = LifReset.ZeroAfterInput, ["none"] = LifReset.None,
    };

    /// <summary>All models.</summary>
    public static IReadOnlyList<NeuronModel> All { get; } =
    [
        new("lif", typeof(LifNeuron), "discrete LIF (Micheli Eq. 13; Herranz-Celotti's resets)",
            [Theta, new("beta", "LIF leak beta in [0, 1] (Herranz-Celotti's alpha).", "0.5"),
             new("reset", "LIF reset: minus (subtract at the next step, Micheli Eq. 13), subtract-before-decay, pre, post, none.", "minus")],
            s => new LifNeuron(new LifParameters(s.Number("beta"), s.Number("theta"), s.Choice("reset", ResetAliases)))),
        new("klambda", typeof(KLambdaNeuron), "Ding's k/lambda integrate-and-fire with hard reset",
            [new("k", "k/lambda IF leak k in (0, 1].", "0.8"), new("lambda", "k/lambda IF input gain lambda > 0.", "0.2"), Theta],
            s => new KLambdaNeuron(new KLambdaParameters(s.Number("k"), s.Number("lambda"), s.Number("theta")))),
        new("cuba-lif", typeof(CubaLifNeuron), "current-based LIF as stork steps it (Rossbroich et al.)",
            [Dt, TauMem, new("tau-syn", "Synaptic time constant tau_syn in seconds (> 0), cuba-lif.", "0.01"), Theta],
            s => new CubaLifNeuron(new CubaLifParameters(s.Number("dt"), s.Number("tau-mem"), s.Number("tau-syn"), s.Number("theta"))),
            ["cuba"]),
        new("cuba-exc-inh", typeof(CubaExcInhNeuron), "current-based LIF with excitatory and inhibitory currents (stork's ExcInhLIFGroup)",
            [Dt, TauMem, new("tau-exc", "Excitatory synaptic time constant in seconds (> 0), cuba-exc-inh.", "0.01"),
             new("tau-inh", "Inhibitory synaptic time constant in seconds (> 0), cuba-exc-inh.", "0.02"), Theta],
            s => new CubaExcInhNeuron(new CubaExcInhParameters(s.Number("dt"), s.Number("tau-mem"), s.Number("tau-exc"), s.Number("tau-inh"), s.Number("theta"))),
            ["cuba-ei"]),
        new("alif", typeof(AlifNeuron), "adaptive-threshold LIF (Bellec et al.'s ALIF as Herranz-Celotti & Rouat use it)",
            [Theta, new("beta", "LIF leak beta in [0, 1] (Herranz-Celotti's alpha).", "0.5"),
             new("adaptation", "ALIF threshold increment beta_a >= 0 per unit of spike trace (Herranz-Celotti: 1.8).", "1.8"),
             new("tau-adaptation", "ALIF adaptation time constant tau_a > 0 in steps (Herranz-Celotti: T_in/2).", "50"),
             new("reset", "LIF reset: minus (subtract at the next step, Micheli Eq. 13), subtract-before-decay, pre, post, none.", "minus")],
            s => new AlifNeuron(new AlifParameters(s.Number("beta"), s.Number("theta"), s.Number("adaptation"), s.Number("tau-adaptation"),
                                                   s.Choice("reset", ResetAliases)))),
        new("slstm", typeof(SlstmNeuron), "spiking LSTM cell (Herranz-Celotti & Rouat's sLSTM; recurrent slstm layers, 4 gates per cell)",
            [], _ => new SlstmNeuron()),
    ];

    /// <summary>The model called <paramref name="name"/> (or an alias); an error lists the valid names.</summary>
    public static NeuronModel Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(m => m.Matches(name))
               ?? throw new ArgumentException($"neuron = '{name}' is not one of {string.Join(", ", All.Select(m => m.Name))}");
    }

    /// <summary>Every option of every model, once (the first description wins).</summary>
    public static IReadOnlyList<OptionSpec> Options { get; } = [.. All.SelectMany(m => m.Options).DistinctBy(o => o.Name)];

    /// <summary>
    /// A System.Text.Json contract modifier that makes <see cref="Neuron"/> polymorphic over the registry, tagged
    /// <c>"model": NAME</c> (used by <c>ModelStore.JsonOptions</c>).
    /// </summary>
    public static void DescribePolymorphism(JsonTypeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (info.Type != typeof(Neuron)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "model" };
        foreach (NeuronModel m in All) info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(m.Type, m.Name));
    }
}
