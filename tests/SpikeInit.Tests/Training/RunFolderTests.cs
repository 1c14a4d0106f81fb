using SpikeInit.Data;
using SpikeInit.Training;

namespace SpikeInit.Tests;

public sealed class RunFolderTests() : TempFolderTest("spikeinit-runfolder-")
{
    private static RunConfiguration Nmnist(string root) => new()
    {
        Dataset = "nmnist", DataDirectory = root, Steps = 4, Batch = 5, Seed = 3,
        Options = TrainingPresets.Get("rossbroich-shallow").Options with { Epochs = 1, MaxBatches = 2 },
    };

    [Fact]
    public void Train_reaches_nmnist_and_writes_the_resolved_configuration()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        string run = Path.Combine(dir, "run");
        RunFolder folder = RunFolder.Create(Nmnist(root), run);
        Assert.False(Directory.Exists(run));                       // nothing is written before training starts
        Assert.Equal([2312L], folder.Data.InputShape);             // frames [T, 2, 34, 34] flattened for the dense preset
        Assert.Equal("fluctuation", folder.Configuration.Init);
        TrainingSummary s = folder.Train();
        Assert.Equal(TrainingStatus.Completed, s.Status);
        RunConfiguration saved = System.Text.Json.JsonSerializer.Deserialize<RunConfiguration>(File.ReadAllText(Path.Combine(run, RunFolder.ManifestFile)), Checkpoint.Json)!;
        Assert.Equal(("nmnist", root, "fluctuation", 1), (saved.Dataset, saved.DataDirectory, saved.Init, saved.Options!.Epochs));
        Assert.True(File.Exists(Path.Combine(run, RunFolder.VersionsFile)));
        // resuming reads run.json and finds nothing left to do
        RunFolder again = RunFolder.Resume(run);
        Assert.Null(again.Prepared);
        Assert.Single(again.Train().History);
    }

    [Fact]
    public void A_folder_that_holds_a_run_is_refused_with_a_pointer_to_resume()
    {
        string run = Path.Combine(dir, "taken");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunFolder.ManifestFile), "{}");
        var e = Assert.Throws<IOException>(() => RunFolder.Create(new RunConfiguration(), run));
        Assert.Contains("already holds a run", e.Message, StringComparison.Ordinal);
        Assert.Contains("--resume " + run, e.Message, StringComparison.Ordinal);
        Assert.Contains("run.json", Assert.Throws<FileNotFoundException>(() => RunFolder.Resume(Path.Combine(dir, "none"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_start_that_fails_before_its_first_checkpoint_leaves_no_folder()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        string fresh = Path.Combine(dir, "fresh"), existing = Path.Combine(dir, "existing");
        RunFolder a = RunFolder.Create(Nmnist(root), fresh);
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "notes.txt"), "mine");
        RunFolder b = RunFolder.Create(Nmnist(root), existing);
        Directory.Delete(Path.Combine(root, "Train"), recursive: true);   // the recordings vanish: the first batch cannot be read
        Assert.ThrowsAny<IOException>(() => a.Train());
        Assert.False(Directory.Exists(fresh));
        Assert.ThrowsAny<IOException>(() => b.Train());
        Assert.Equal([Path.Combine(existing, "notes.txt")], Directory.GetFileSystemEntries(existing));   // the user's folder and files stay
        // a configuration that cannot be prepared writes nothing at all
        Assert.Throws<ArgumentException>(() => RunFolder.Create(new RunConfiguration { Dataset = "cifar" }, Path.Combine(dir, "never")));
        Assert.False(Directory.Exists(Path.Combine(dir, "never")));
    }

    [Fact]
    public void Comparison_refuses_run_folders_of_an_earlier_comparison_before_training()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        string report = Path.Combine(dir, "cmp");
        IReadOnlyList<ComparisonResult> results = Comparison.Run(Nmnist(root), ["fluctuation", "kaiming"], [3], report);
        Assert.Equal(["fluctuation", "kaiming"], results.Select(r => r.Init));
        Assert.All(results, r => Assert.Single(r.InitialRates));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(report, "compare.csv")).Length);
        var trained = new List<string>();
        var e = Assert.Throws<IOException>(() => Comparison.Run(Nmnist(root), ["glorot", "kaiming"], [3], report, s => { trained.Add(s.Init); return s.Run.Train(); }));
        Assert.Contains("kaiming-3", e.Message, StringComparison.Ordinal);
        Assert.Empty(trained);
    }
}

public sealed class TrainingPresetTests
{
    [Fact]
    public void Presets_are_unique_named_records_with_a_default_dataset_they_train_on()
    {
        var catalog = new DataCatalog(Path.GetTempPath());
        Assert.Equal(["micheli-mlp", "ding-conv", "ding-vgg", "rossbroich-shallow", "rossbroich-deep", "hc-recurrent", "hc-alif", "hc-slstm", "rossbroich-dale", "rossbroich-csnn"], TrainingPresets.All.Select(p => p.Name));
        foreach (TrainingPreset p in TrainingPresets.All)
        {
            Assert.Same(p, TrainingPresets.Get(p.Name.ToUpperInvariant()));
            Assert.Contains(catalog.Resolve(p.Dataset).Form, p.Forms);
            Assert.False(string.IsNullOrWhiteSpace(p.Paper));
        }
        Assert.Equal(["mnist", "mnist", "mnist", "randman", "randman", "mnist", "mnist", "mnist", "randman-700", "randman-700"], TrainingPresets.All.Select(p => p.Dataset));
        var e = Assert.Throws<ArgumentException>(() => TrainingPresets.Get("resnet"));
        Assert.Contains("unknown architecture 'resnet'; choose one of micheli-mlp, ding-conv, ding-vgg, rossbroich-shallow, rossbroich-deep, hc-recurrent, hc-alif, hc-slstm, rossbroich-dale, rossbroich-csnn", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    // the data requests of every (preset, dataset) pair that trained before presets were records: same batches, encodings, steps
    [InlineData("rossbroich-shallow", "randman", 250, ImageEncoding.Poisson, 20, Normalization.UnitRange, true)]
    [InlineData("rossbroich-deep", "shd", 256, ImageEncoding.Poisson, 20, Normalization.UnitRange, true)]
    [InlineData("rossbroich-shallow", "mnist", 128, ImageEncoding.Poisson, 20, Normalization.UnitRange, true)]
    [InlineData("micheli-mlp", "fashion-mnist", 128, ImageEncoding.Constant, 3, Normalization.Standardized, true)]
    [InlineData("ding-conv", "mnist", 32, ImageEncoding.Constant, 20, Normalization.UnitRange, false)]
    [InlineData("hc-recurrent", "mnist", 256, ImageEncoding.Latency, 100, Normalization.UnitRange, true)]
    [InlineData("hc-recurrent", "ssc", 256, ImageEncoding.Latency, 100, Normalization.UnitRange, true)]
    public void Data_requests_keep_the_batches_encodings_and_steps_of_each_preset(string preset, string dataset, int batch, ImageEncoding encoding,
                                                                                 int steps, Normalization normalization, bool flatten)
    {
        IDatasetSource source = new DataCatalog(Path.GetTempPath()).Resolve(dataset);
        DataRequest r = TrainingPresets.Get(preset).Request(source, new RunConfiguration { Seed = 9 });
        Assert.Equal((batch, encoding, steps, normalization, flatten, 9UL), (r.BatchSize, r.Encoding, r.Steps, r.Normalization, r.Flatten, r.Seed));
        DataRequest custom = TrainingPresets.Get(preset).Request(source, new RunConfiguration { Batch = 7, Steps = 5, Encoding = ImageEncoding.Retina, LimitTrain = 100 });
        Assert.Equal((7, ImageEncoding.Retina, 5, 100), (custom.BatchSize, custom.Encoding, custom.Steps, custom.LimitTrain));
    }

    [Fact]
    public void A_preset_refuses_data_of_a_form_it_does_not_train_on()
    {
        var catalog = new DataCatalog(Path.GetTempPath());
        var e = Assert.Throws<ArgumentException>(() => PreparedRun.LoadData(TrainingPresets.Get("ding-conv"), new RunConfiguration { Dataset = "shd" }, catalog));
        Assert.StartsWith("ding-conv trains on images (fashion-mnist, mnist), not shd (recordings)", e.Message, StringComparison.Ordinal);
    }
}
