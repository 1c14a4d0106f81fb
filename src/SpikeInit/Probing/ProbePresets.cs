using SpikeInit.Initialization;
using SpikeInit.Neurons;

namespace SpikeInit.Probing;

/// <summary>A named probe sweep reproducing a paper's figure, at full size and in a quick variant for tests.</summary>
/// <param name="Name">Command-line name.</param>
/// <param name="Description">What it reproduces.</param>
/// <param name="Full">The paper's setting.</param>
/// <param name="Quick">A reduced setting that runs in seconds.</param>
/// <param name="Claim">What the paper claims for this figure, printed in the report beside what SpikeInit measures.</param>
public sealed record ProbePreset(string Name, string Description, IReadOnlyList<ProbeConfiguration> Full, IReadOnlyList<ProbeConfiguration> Quick,
                                 string Claim);

/// <summary>The presets of <c>spikeinit probe --preset</c>.</summary>
public static class ProbePresets
{
    /// <summary>
    /// Every configuration of the Cartesian product (σ_U only varies for the fluctuation-driven method; resets default to
    /// the template's).
    /// </summary>
    public static IReadOnlyList<ProbeConfiguration> Sweep(ProbeConfiguration template, IEnumerable<string> methods, IEnumerable<double> thetas,
                                                          IEnumerable<double> betas, IEnumerable<int> widths, IEnumerable<int> depths,
                                                          IEnumerable<double>? sigmaUs = null, IEnumerable<LifReset>? resets = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        double[] sigmas = [.. sigmaUs ?? [template.SigmaU]];
        LifReset[] resetList = [.. resets ?? [template.Reset]];
        var list = new List<ProbeConfiguration>();
        foreach (string m in methods)
            foreach (double theta in thetas)
                foreach (double beta in betas)
                    foreach (LifReset reset in resetList)
                        foreach (int width in widths)
                            foreach (int depth in depths)
                                foreach (double sigma in Initializers.Get(m).Reads.Contains("sigma-u") ? sigmas : sigmas.Take(1))
                                    list.Add(template with { Method = m, Theta = theta, Beta = beta, Reset = reset, Width = width, Depth = depth, SigmaU = sigma });
        return list;
    }

    /// <summary>All presets.</summary>
    public static IReadOnlyList<ProbePreset> All { get; } =
    [
        new("micheli-depth", "Micheli Fig. 2: Var[u] over 100 layers of 1000 LIF neurons, one step, micheli vs kaiming, six thresholds, 20 repeats",
            Sweep(new ProbeConfiguration { Steps = 1, Repeats = 20 }, ["micheli", "kaiming"], [0.25, 0.5, 0.75, 1.0, 1.25, 1.5], [0.5], [1000], [100]),
            Sweep(new ProbeConfiguration { Steps = 1, Repeats = 3 }, ["micheli", "kaiming"], [0.5, 1.0], [0.5], [200], [20]),
            "Micheli et al.: with their init Var[u_l] stays near 1 over all 100 layers for every tested threshold; with Kaiming it decays with depth, faster for larger thresholds."),
        new("micheli-width", "Micheli Fig. 3: finite size, micheli at n = 100, 600, 1000 over 100 layers, thresholds 0.5, 0.85, 1, batch 1 (the paper's protocol: a batch pools samples and hides collapses)",
            Sweep(new ProbeConfiguration { Steps = 1, Repeats = 20, Batch = 1 }, ["micheli"], [0.5, 0.85, 1.0], [0.5], [100, 600, 1000], [100]),
            Sweep(new ProbeConfiguration { Steps = 1, Repeats = 4, Batch = 1 }, ["micheli"], [1.0], [0.5], [100, 300], [30]),
            "Micheli et al.: n = 100 fails to keep activity for theta > 0.85; n = 600 fixes this except at theta = 1."),
        new("micheli-time", "Micheli Fig. 4: 100 layers × 1000 LIF over T = 20 steps, constant N(0,1) input, micheli vs kaiming, beta 0.5 and 0.9, theta 1",
            Sweep(new ProbeConfiguration { Steps = 20, Repeats = 10 }, ["micheli", "kaiming"], [1.0], [0.5, 0.9], [1000], [100]),
            Sweep(new ProbeConfiguration { Steps = 10, Repeats = 2 }, ["micheli", "kaiming"], [1.0], [0.5, 0.9], [200], [20]),
            "Micheli et al. (Fig. 4): their init keeps variance and spikes across 100 layers and 20 steps while Kaiming activity dies; at beta = 0.9 leak and reset make the network \"dissipative\" over time, yet it still produces output. (docs/THEORY.md §M-A6: the beta = 0.9 dissipation is not expected to reproduce from the text alone.)"),
        new("ding-rates", "Ding Fig. 3: firing rate per layer of k/lambda IF neurons (0.8, 0.2, 1) under asymptote, glorot, kaiming, wu, lee2016",
            Sweep(new ProbeConfiguration { Neuron = "klambda", Beta = 0.8, Steps = 20, Repeats = 10 }, ["asymptote", "glorot", "kaiming", "wu", "lee2016"], [1.0], [0.8], [500], [10]),
            Sweep(new ProbeConfiguration { Neuron = "klambda", Beta = 0.8, Steps = 10, Repeats = 2 }, ["asymptote", "glorot", "kaiming"], [1.0], [0.8], [100], [5]),
            "Ding et al.: the slant-asymptote init gives non-vanishing firing rates in every layer, where Glorot and He leave deep layers nearly silent."),
        new("fluctuation-depth", "Rossbroich: sigma_U sweep (0.5, 1, 2) on 7 current-based layers of 256 with 15.8 Hz Poisson input, 0.5 s, vs kaiming",
            Sweep(new ProbeConfiguration { Neuron = "cuba-lif", Input = ProbeInput.Poisson, Steps = 250, Repeats = 5 }, ["fluctuation", "kaiming"], [1.0], [0.5], [256], [7], [0.5, 1.0, 2.0]),
            Sweep(new ProbeConfiguration { Neuron = "cuba-lif", Input = ProbeInput.Poisson, Steps = 60, Repeats = 2 }, ["fluctuation"], [1.0], [0.5], [64], [4], [0.5, 1.0, 2.0]),
            "Rossbroich et al.: only sigma_U near 1 propagates activity stably through deep networks; sigma_U = 0.5 silences deeper layers, sigma_U = 2 makes rates grow with depth."),
    ];

    /// <summary>A preset by name.</summary>
    public static ProbePreset Get(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown preset '{name}'; choose one of {string.Join(", ", All.Select(p => p.Name))}", nameof(name));
}
