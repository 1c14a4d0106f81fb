using PureHDF;
using SpikeInit.Layers;
using SpikeInit.Neurons;
using SpikeInit.Surrogates;

namespace SpikeInit.Interop;

/// <summary>
/// SpikeInit's discrete neurons ↔ NIR's continuous ones at a step dt (docs/THEORY.md §NIR). NIR: τ·dv/dt = (v_leak − v) + R·I,
/// fire when v &gt; v_threshold, then v ← v_reset. Integrated exactly over one step with the input held constant over it
/// (zero-order hold), v_t = β·v_{t−1} + (1 − β)·R·I_t with β = exp(−dt/τ): SpikeInit's LIF u_t = β·u_{t−1} + g·I_t is that
/// with τ = −dt/ln β and R = g/(1 − β) (IF, β = 1: dv/dt = R·I, R = g/dt). Its hard reset to zero before the next decay
/// (<see cref="LifReset.ZeroBeforeDecay"/>, Ding's k/λ neuron) is NIR's reset to v_reset = 0; a LIF without reset on a
/// membrane readout is NIR's LI. stork's current-based neuron (exponential Euler per variable: I ← λ_s·I + X,
/// U ← λ_m·U + (1 − λ_m)·I) is NIR's CubaLIF/CubaLI with its own τ_mem, τ_syn, R = 1 and w_in = 1/(1 − λ_s). Import is the
/// exact inverse (β = exp(−dt/τ), g = R·(1 − β)). Everything else is refused: subtractive and refractory resets, u ≥ θ,
/// excitatory/inhibitory neurons, models NIR has no node for.
/// </summary>
internal static class NirNeurons
{
    /// <summary>The NIR node types that are neurons.</summary>
    public static readonly string[] Types = ["LIF", "IF", "LI", "CubaLIF", "CubaLI"];

    /// <summary>The NIR node for the neurons of a layer with per-sample output <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The neuron, its reset or its output cannot be represented in NIR.</exception>
    public static H5Group Export(Neuron neuron, BlockOutput output, double dt, long[] shape, string layer)
    {
        ArgumentNullException.ThrowIfNull(neuron);
        bool readout = output == BlockOutput.Membrane;
        if (neuron.Spike.Condition != SpikeCondition.Greater)
            throw new ArgumentException($"{layer}: {neuron.Description} fires at u >= theta; NIR neurons fire at v > v_threshold");
        switch (neuron)
        {
            case LifNeuron or KLambdaNeuron:
                NeuronDynamics d = neuron.Dynamics;
                if (readout ? d.Reset != LifReset.None : d.Reset != LifReset.ZeroBeforeDecay)
                    throw new ArgumentException(readout
                        ? $"{layer}: a membrane readout of {neuron.Description} has a reset; NIR's leaky integrator (LI) has none"
                        : $"{layer}: {neuron.Description} has reset {EnumNames.Of(d.Reset)}; NIR's LIF/IF reset the membrane to v_reset right after the spike, which is only SpikeInit's {EnumNames.Of(LifReset.ZeroBeforeDecay)} (subtractive and refractory resets have no NIR node)");
                if (d.Leak == 0) throw new ArgumentException($"{layer}: {neuron.Description} has beta = 0, which has no time constant");
                if (d.Leak == 1 && readout) throw new ArgumentException($"{layer}: a non-leaky membrane readout (beta = 1) is not exported");
                H5Group node;
                if (d.Leak == 1)
                    node = NirWriter.Node("IF");
                else
                {
                    node = NirWriter.Node(readout ? "LI" : "LIF");
                    node["tau"] = NirWriter.PerNeuron(-dt / Math.Log(d.Leak), shape);
                    node["v_leak"] = NirWriter.PerNeuron(0, shape);
                }
                node["r"] = NirWriter.PerNeuron(d.Leak == 1 ? d.InputGain / dt : d.InputGain / (1 - d.Leak), shape);
                if (!readout)
                {
                    node["v_threshold"] = NirWriter.PerNeuron(neuron.Threshold, shape);
                    node["v_reset"] = NirWriter.PerNeuron(0, shape);
                }
                return node;
            case CubaLifNeuron c:
                CubaLifParameters p = c.Parameters;
                if (Math.Abs(p.Dt - dt) > 1e-12 * dt)
                    throw new ArgumentException($"{layer}: {neuron.Description} steps at dt = {Validate.Format(p.Dt)} s; export with dt = {Validate.Format(p.Dt)}, not {Validate.Format(dt)}");
                if (readout == p.Reset)
                    throw new ArgumentException(readout ? $"{layer}: a membrane readout of {neuron.Description} resets; NIR's CubaLI has no reset"
                                                        : $"{layer}: {neuron.Description} does not reset, so it never spikes; use it as a membrane readout");
                var cuba = NirWriter.Node(readout ? "CubaLI" : "CubaLIF");
                cuba["tau_syn"] = NirWriter.PerNeuron(p.TauSyn, shape);
                cuba["tau_mem"] = NirWriter.PerNeuron(p.TauMem, shape);
                cuba["r"] = NirWriter.PerNeuron(1, shape);
                cuba["v_leak"] = NirWriter.PerNeuron(0, shape);
                if (!readout)
                {
                    cuba["v_threshold"] = NirWriter.PerNeuron(p.Theta, shape);
                    cuba["v_reset"] = NirWriter.PerNeuron(0, shape);
                }
                cuba["w_in"] = NirWriter.PerNeuron(1 / (1 - p.SynapseDecay), shape);
                if (p.InitialMembrane != 0) cuba["metadata"] = new H5Group { [InitialMembraneKey] = p.InitialMembrane };
                return cuba;
            default:
                throw new ArgumentException($"{layer}: {neuron.Description} has no NIR node (exported: LIF and k/lambda neurons with reset {EnumNames.Of(LifReset.ZeroBeforeDecay)}, their membrane readouts without reset, and the current-based LIF)");
        }
    }

    /// <summary>The metadata entry that keeps a current-based neuron's starting membrane U[0] (NIR has no initial state).</summary>
    public const string InitialMembraneKey = "spikeinit_initial_membrane";

    /// <summary>The SpikeInit neuron of a NIR neuron node, and whether it feeds spikes or its membrane on.</summary>
    /// <exception cref="InvalidDataException">A parameter is missing, non-finite, differs across neurons or has no SpikeInit counterpart.</exception>
    public static (Neuron Neuron, BlockOutput Output) Import(NirNode node, double dt)
    {
        ArgumentNullException.ThrowIfNull(node);
        string at = $"node '{node.Name}' ({node.Type})";
        double Zero(string key)
        {
            double v = node.Uniform(key, 0);
            return v == 0 ? 0 : throw new InvalidDataException($"{at}: {key} = {v}; SpikeInit's neurons rest at and reset to 0");
        }
        double Positive(string key)
        {
            double v = node.Uniform(key);
            return v > 0 ? v : throw new InvalidDataException($"{at}: {key} = {v} must be > 0");
        }
        try
        {
            switch (node.Type)
            {
                case "LIF" or "LI":
                {
                    bool li = node.Type == "LI";
                    double beta = Math.Exp(-dt / Positive("tau"));
                    double gain = Positive("r") * (1 - beta);
                    Zero("v_leak");
                    if (li) return (new LifNeuron(new LifParameters(beta, 1.0, LifReset.None, gain: gain)), BlockOutput.Membrane);
                    Zero("v_reset");
                    return (new LifNeuron(new LifParameters(beta, Positive("v_threshold"), LifReset.ZeroBeforeDecay, gain: gain)), BlockOutput.Spikes);
                }
                case "IF":
                    Zero("v_reset");
                    return (new LifNeuron(new LifParameters(1.0, Positive("v_threshold"), LifReset.ZeroBeforeDecay, gain: Positive("r") * dt)), BlockOutput.Spikes);
                case "CubaLIF" or "CubaLI":
                {
                    bool li = node.Type == "CubaLI";
                    double tauSyn = Positive("tau_syn"), tauMem = Positive("tau_mem");
                    double r = Positive("r"), wIn = node.Uniform("w_in", 1), jump = 1 / (1 - Math.Exp(-dt / tauSyn));
                    if (Math.Abs(r - 1) > 1e-6) throw new InvalidDataException($"{at}: r = {r}; SpikeInit's current-based neuron has r = 1 (scale the weights instead)");
                    if (Math.Abs(wIn / jump - 1) > 1e-6)
                        throw new InvalidDataException($"{at}: w_in = {wIn}; at dt = {Validate.Format(dt)} s SpikeInit's current-based neuron (a unit jump of the synaptic current per input) has w_in = 1/(1 - exp(-dt/tau_syn)) = {jump}");
                    Zero("v_leak");
                    double u0 = node.Metadata.TryGetValue(InitialMembraneKey, out var m) && m.Count == 1 ? m.Values[0] : 0;
                    if (!li) Zero("v_reset");
                    var p = new CubaLifParameters(dt, tauMem, tauSyn, li ? 1.0 : Positive("v_threshold"), reset: !li, initialMembrane: u0);
                    return (new CubaLifNeuron(p), li ? BlockOutput.Membrane : BlockOutput.Spikes);
                }
                default:
                    throw new InvalidDataException($"{at} is not a neuron");
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{at}: {Validate.Message(e)}", e);
        }
    }
}
