using SpikeInit.Data;
using SpikeInit.Initialization;
using SpikeInit.Networks;
using SpikeInit.Probing;
using static TorchSharp.torch;

namespace SpikeInit.Training;

/// <summary>
/// What <c>spikeinit diagnose</c> diagnoses: a network (a preset built and initialized as <c>train</c> would, optionally
/// calibrated, or a model saved by <see cref="ModelStore"/>) and one labelled batch of a dataset — the first test batch
/// (held out: not the training batch calibration used), or the first training batch when the dataset has no test split.
/// </summary>
/// <param name="Network">The network.</param>
/// <param name="Data">The data it is diagnosed on.</param>
/// <param name="X">The batch's input.</param>
/// <param name="Y">The batch's labels.</param>
/// <param name="Description">What was diagnosed, for reports (architecture or model folder, initialization, dataset).</param>
/// <param name="Options">The diagnosis options (the initialization used and the architecture's default).</param>
/// <param name="Calibration">The calibration applied before diagnosing (empty unless the configuration asked for it).</param>
public sealed record DiagnosisSetup(SpikingNetwork Network, ITrainingData Data, Tensor X, Tensor Y, string Description, DiagnosisOptions Options,
                                    IReadOnlyList<LayerCalibration> Calibration)
{
    /// <summary>
    /// Builds the setup of a configuration, or of the model in <paramref name="modelDirectory"/>: then the configuration's
    /// dataset must be given (its architecture says how the dataset is read: encoding and steps), and <c>--init</c> and
    /// <c>--calibrate</c> do not apply.
    /// </summary>
    public static DiagnosisSetup Load(RunConfiguration config, string? modelDirectory = null, DataCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        TrainingPreset preset = TrainingPresets.Get(config.Architecture);
        catalog ??= new DataCatalog(config.Cache);
        if (modelDirectory is null)
        {
            PreparedRun run = PreparedRun.Prepare(config, catalog);
            var (x, y) = Batch(run.Data);
            string calibrated = config.Calibrate is { } c ? $", calibrated to {c}" : "";
            return new DiagnosisSetup(run.Network, run.Data, x, y, $"{preset.Name}, init {run.Init}{calibrated}, on {run.Data.Name}",
                                      new DiagnosisOptions { Init = run.Init, DefaultInit = preset.Init }, run.Calibration);
        }
        if (config.Dataset is null)
            throw new ArgumentException($"--model {modelDirectory} needs --dataset: the data to diagnose the saved model on");
        if (config.Init is not null || config.Calibrate is not null)
            throw new ArgumentException("--model diagnoses the saved weights as they are: --init and --calibrate do not apply to it");
        SpikingNetwork network = ModelStore.Load(modelDirectory).MoveTo(Runtime.ComputeDevice.Parse(config.Device));
        ITrainingData data = PreparedRun.LoadData(preset, config, catalog);
        if (!data.InputShape.SequenceEqual(network.Spec.InputShape))
            throw new ArgumentException($"the model in {modelDirectory} takes samples [{string.Join(", ", network.Spec.InputShape)}] but {data.Name} read as "
                                        + $"--arch {preset.Name} gives [{string.Join(", ", data.InputShape)}]; pass the --arch the model was built with");
        var (mx, my) = Batch(data);
        return new DiagnosisSetup(network, data, mx, my, $"model {modelDirectory} on {data.Name} (read as {preset.Name})", new DiagnosisOptions(), []);
    }

    /// <summary>Diagnoses the network on the batch.</summary>
    public DiagnosisResult Run() => Diagnosis.Run(Network, X, Y, Data.Steps, Options);

    private static (Tensor X, Tensor Y) Batch(ITrainingData data)
    {
        foreach (var batch in data.Test()) return batch;
        foreach (var batch in data.Train(0)) return batch;
        throw new ArgumentException($"{data.Name} has no samples to diagnose on");
    }
}
