namespace SpikeInit.Tests;

public sealed class TrainAndDataCommandTests() : TempFolderTest("spikeinit-cli-data-")
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    [Fact]
    public void Train_reaches_nmnist_by_name_and_by_path_and_refuses_a_second_run_in_the_same_folder()
    {
        string root = DatasetSourceTests.WriteNMnist(Path.Combine(dir, "nm"));
        string run = Path.Combine(dir, "run");
        string[] quick = ["--epochs", "1", "--max-batches", "1", "--steps", "3", "--batch", "5"];
        var (code, output, err) = Run(["train", "--dataset", "nmnist", "--data-dir", root, "--out", run, "--optimizer", "adamw", "--schedule", "multistep:1", .. quick]);
        Assert.True(code == 0, err);
        Assert.Contains("on nmnist (18 training samples), init fluctuation", output);
        string manifest = File.ReadAllText(Path.Combine(run, "run.json"));
        Assert.Contains("\"adam_w\"", manifest);
        Assert.Contains("\"multi_step\"", manifest);
        (code, _, err) = Run(["train", "--dataset", "nmnist", "--data-dir", root, "--out", run, .. quick]);
        Assert.Equal(2, code);
        Assert.Contains("already holds a run (run.json): continue it with --resume", err);
        (code, output, err) = Run(["train", "--arch", "hc-recurrent", "--dataset", root, "--out", Path.Combine(dir, "by-path"), .. quick]);
        Assert.True(code == 0, err);
        Assert.Contains("on nm (18 training samples), init stability", output);
    }

    [Fact]
    public void Train_errors_write_no_folder_and_enum_options_take_names_only()
    {
        string never = Path.Combine(dir, "never");
        var (code, _, err) = Run("train", "--dataset", "cifar", "--out", never);
        Assert.Equal(2, code);
        Assert.Contains("unknown dataset 'cifar'; choose one of randman, randman-700, fashion-mnist, mnist, shd, ssc, nmnist", err);
        Assert.False(Directory.Exists(never));
        foreach (var (option, value, message) in new[]
                 {
                     ("--optimizer", "3", "optimizer = '3' is not one of adamw, adabelief, adam, sgd, asgd, adagrad"),
                     ("--schedule", "1", "schedule = '1' is not one of"),
                     ("--schedule", "multistep", "needs its milestone epochs"),
                     ("--encoding", "2", "encoding = '2' is not one of constant, poisson, latency, retina"),
                 })
        {
            (code, _, err) = Run("train", option, value, "--out", never);
            Assert.Equal(2, code);
            Assert.Contains(message, err);
        }
        Assert.False(Directory.Exists(never));
    }

    [Fact]
    public void Data_list_shows_the_registry_and_show_reads_hdf5_like_h5()
    {
        var (code, output, err) = Run("data", "list", "--cache", dir);
        Assert.True(code == 0, err);
        foreach (string name in new[] { "randman", "fashion-mnist", "mnist", "shd", "ssc", "nmnist", "n-mnist", "events", "recordings" })
            Assert.Contains(name, output);
        string hdf5 = DatasetSourceTests.WriteShd(Path.Combine(dir, "shd_train.hdf5"));
        (code, output, err) = Run("data", "show", hdf5, "--out", Path.Combine(dir, "r.png"));
        Assert.True(code == 0, err);
        Assert.Contains("349 steps", output);
        Assert.Contains("1 0 0 0 1", output);
        Assert.True(File.Exists(Path.Combine(dir, "r.png")));
        (code, _, err) = Run("data", "show", "nmnist", "--cache", dir);
        Assert.Equal(2, code);
        Assert.Contains("nmnist is not in", err);
    }
}
