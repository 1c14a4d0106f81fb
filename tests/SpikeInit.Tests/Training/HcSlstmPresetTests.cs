using SpikeInit.Layers;
using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>The <c>hc-slstm</c> preset trained one CI-sized epoch (2 × 85 sLSTM cells, glorot-uniform) and saved.</summary>
public sealed class HcSlstmPresetTests() : TempFolderTest("spikeinit-hc-slstm-")
{
    [Fact]
    public void Hc_slstm_trains_one_epoch_and_saves_its_cells()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        TrainingPreset preset = TrainingPresets.Get("hc-slstm");
        Assert.Equal("glorot-uniform", preset.Init);
        var config = new RunConfiguration
        {
            Architecture = "hc-slstm", Dataset = root, Steps = 3, Batch = 5, LimitTrain = 10,
            Options = preset.Options with { Epochs = 1, MaxBatches = 1 },
        };
        RunFolder folder = RunFolder.Create(config, Path.Combine(dir, "run"));
        TrainingSummary summary = folder.Train();
        Assert.Equal(TrainingStatus.Completed, summary.Status);

        using SpikingNetwork model = ModelStore.Load(Path.Combine(dir, "run", "model"));
        var layer = Assert.IsType<SlstmLayer>(model.Spec.Layers[0]);
        Assert.Equal(85, layer.Units);
        Assert.IsType<SlstmNeuron>(layer.Neuron);
        Assert.IsType<SlstmLayer>(model.Spec.Layers[1]);
        var block = Assert.IsType<SlstmBlock>(model.Blocks[1]);
        Assert.Equal([340L, 85L], block.RecurrentWeight.shape);
        Assert.True(block.Weight.isfinite().all().item<bool>());
    }
}
