using SpikeInit.Neurons;

namespace SpikeInit.Initialization;

/// <summary>All initialization methods by name: the one list the command line, the probe and the trainer read.</summary>
public static class Initializers
{
    /// <summary>Every method, baselines first.</summary>
    public static IReadOnlyList<InitializerInfo> All { get; } =
    [
        new("kaiming", "He et al. 2015, normal", ["gain"], false, o => new Kaiming(false, o.Gain), ["he"]),
        new("kaiming-uniform", "He et al. 2015, uniform", ["gain"], false, o => new Kaiming(true, o.Gain), ["he-uniform"]),
        new("glorot", "Glorot & Bengio 2010, normal", [], false, _ => new Glorot(false), ["xavier"]),
        new("glorot-uniform", "Glorot & Bengio 2010, uniform", [], false, _ => new Glorot(true), ["xavier-uniform"]),
        new("wu", "Wu et al. 2018", [], false, _ => new Wu()),
        new("lee2016", "Lee et al. 2016", [], false, _ => new Lee2016()),
        new("lee2020", "Lee et al. 2020", ["kappa"], false, o => new Lee2020(o.Kappa)),
        new("micheli", "Micheli et al., variance-preserving", ["probability", "output-variance"], false, o => new Micheli(o.Probability, o.OutputVariance)),
        new("fluctuation", "Rossbroich, Gygax & Zenke, fluctuation-driven", ["sigma-u", "mu-u", "xi", "alpha", "epsilon"], false, Fluctuation, Neuron: "cuba-lif"),
        new("asymptote", "Ding et al., slant asymptote", [], true, _ => new Asymptote(), Neuron: "klambda"),
        new("stability", "Herranz-Celotti & Rouat, conditions I-IV", ["conditions", "variant", "solve"], false, o => new StabilityBased(o.Conditions, o.Variant, o.Solve)),
        new("stationary", "SpikeInit, time-aware variance-preserving (stationary rate through depth)", ["alpha"], false, o => new Stationary(o.Alpha)),
        new("mean-driven", "Herranz-Celotti & Rouat, mean-driven", ["alpha", "epsilon"], false, o => new MeanDriven(o.Alpha, o.Epsilon)),
    ];

    /// <summary>The method names, baselines first.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(m => m.Name)];

    /// <summary>The registry entry of <paramref name="name"/> (case-insensitive, aliases accepted).</summary>
    public static InitializerInfo Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(m => m.Matches(name))
               ?? throw new ArgumentException($"unknown initialization method '{name}'; choose one of {string.Join(", ", Names)}", nameof(name));
    }

    /// <summary>
    /// The neuron model a layer initialized by <paramref name="methods"/> gets: <paramref name="neuron"/> when given, else the
    /// paper's neuron that all the methods share (<see cref="InitializerInfo.Neuron"/>) with a note that says so, else lif.
    /// </summary>
    public static (NeuronModel Model, string? Note) NeuronFor(IReadOnlyCollection<InitializerInfo> methods, string? neuron)
    {
        ArgumentNullException.ThrowIfNull(methods);
        if (neuron is not null) return (NeuronModels.Get(neuron), null);
        return methods.Select(m => m.Neuron).Distinct().ToArray() is [{ } paper]
            ? (NeuronModels.Get(paper), $"neuron {paper}: the neuron of {string.Join(", ", methods.Select(m => m.Name))}'s paper (--neuron chooses another)")
            : (NeuronModels.Get("lif"), null);
    }

    /// <summary>Creates a method by name with the options it uses.</summary>
    public static Initializer Create(string name, InitOptions? options = null) => Get(name).Create(options ?? new InitOptions());

    private static FluctuationDriven Fluctuation(InitOptions o) => o.MuU is not null || o.Xi is not null
        ? FluctuationDriven.General(o.MuU ?? 0, o.Xi ?? throw new ArgumentException("the general fluctuation-driven form needs xi (--xi) with mu_u"), o.Alpha, o.Epsilon)
        : new FluctuationDriven(o.SigmaU, o.Alpha, o.Epsilon);
}
