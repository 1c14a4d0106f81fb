using SpikeInit.Data;
using SpikeInit.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// Herranz-Celotti &amp; Rouat's initial-rate pre-training (docs/THEORY.md §S10.4; their code trains only the biases with
/// the loss Σ_l (f̄^l − f_i)², Adam, 15 epochs, no task loss): before supervised training, only the biases (and, with
/// learned neuron parameters, the thresholds) are trained, with Adam at <see cref="LearningRate"/>, on
/// Σ_l (f̄^l − R)² over the hidden layers' mean rates f̄^l, for at most <see cref="MaxBatches"/> training batches or until
/// every layer is within <see cref="Tolerance"/> of R on the batch it trains on. Weights are not touched; the data order
/// of the supervised run is unchanged (the phase reads epoch 0's batches without consuming anything).
/// </summary>
public static class InitialRatePhase
{
    /// <summary>Batches at most.</summary>
    public const int MaxBatches = 60;

    /// <summary>Adam's learning rate for the biases and thresholds.</summary>
    public const double LearningRate = 0.02;

    /// <summary>The largest |f̄^l − R| at which the phase stops early.</summary>
    public const double Tolerance = 0.01;

    /// <summary>Runs the phase on <paramref name="network"/> toward <paramref name="target"/> spikes per neuron and step.</summary>
    /// <exception cref="ArgumentException">The target is outside (0, 1), or the network has no hidden spiking layer or nothing to train.</exception>
    public static InitialRateReport Run(SpikingNetwork network, ITrainingData data, double target)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        Validate.InRange(target, "target-initial-rate", 0, 1, lowOpen: true, highOpen: true);
        Parameter[] trained = [.. network.named_parameters().Where(p => p.name.EndsWith(".bias", StringComparison.Ordinal)
                                                                         || p.name.EndsWith(".threshold", StringComparison.Ordinal)).Select(p => p.parameter)];
        if (trained.Length == 0)
            throw new ArgumentException("target-initial-rate: the network has no biases or learned thresholds to fit (its layers are built without bias)");
        (Tensor probe, _) = data.Train(0).First();
        double[] before = Rates(network, data, probe);
        if (before.Length == 0) throw new ArgumentException("target-initial-rate: the network has no hidden spiking layer whose rate could be set");
        var optimizer = Optimizer.Create(OptimizerKind.Adam, trained, LearningRate);
        int batches = 0;
        for (int epoch = 0; batches < MaxBatches; epoch++)
        {
            bool any = false, reached = false;
            foreach (var (x, _) in data.Train(epoch))
            {
                any = true;
                using var scope = NewDisposeScope();
                Tensor[] hidden = Trainer.HiddenSpikes(network, network.Run(x, data.Steps, Recording.Spikes));
                Tensor loss = hidden.Select(h => h.mean().Minus(target).square()).Aggregate((a, b) => a.Plus(b));
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
                batches++;
                reached = hidden.All(h => Math.Abs(h.mean().to(ScalarType.Float64).item<double>() - target) <= Tolerance);
                if (reached || batches >= MaxBatches) break;
            }
            if (!any || reached) break;
        }
        network.zero_grad();
        return new InitialRateReport(target, before, Rates(network, data, probe), batches, trained.Length);
    }

    private static double[] Rates(SpikingNetwork network, ITrainingData data, Tensor x)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return [.. Trainer.HiddenSpikes(network, network.Run(x, data.Steps, Recording.Spikes)).Select(h => h.mean().to(ScalarType.Float64).item<double>())];
    }
}
