using System.Text.Json.Nodes;
using SpikeInit.Training;

namespace SpikeInit.Tests;

/// <summary>A tiny finished run (2 epochs of 1 batch), trained once for all hostile cases, which copy and break it.</summary>
public sealed class TinyRunFixture : IDisposable
{
    /// <summary>Folder holding the run in <c>run/</c>.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("spikeinit-hostile-fixture-").FullName;

    /// <summary>Trains the run.</summary>
    public TinyRunFixture()
    {
        var r = HostileCli.Run(Root, "train", "--arch", "rossbroich-shallow", "--max-batches", "1", "--epochs", "2", "--threads", "1", "--out", "run");
        Assert.True(r.Code == 0, r.Err);
    }

    /// <summary>The run folder.</summary>
    public string Run => Path.Combine(Root, "run");

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// Issue 15 item 6: hostile model folders, checkpoint state, run manifests and options. Every case must end with exit code
/// 2 and exactly one <c>error:</c> line naming the file or option, no stack trace, within the time and memory bounds of
/// <see cref="HostileCli"/>; and nothing is changed by a refused command.
/// </summary>
public sealed class HostileInputTests(TinyRunFixture fixture) : TempFolderTest("spikeinit-hostile-"), IClassFixture<TinyRunFixture>
{
    /// <summary>A copy of the fixture's run with <paramref name="edit"/> applied to the JSON file <paramref name="file"/> (relative to the run).</summary>
    private string Broken(string name, string file, Action<JsonNode> edit)
    {
        string copy = Path.Combine(dir, name);
        CopyFolder(fixture.Run, copy);
        string path = Path.Combine(copy, file);
        JsonNode node = JsonNode.Parse(File.ReadAllText(path))!;
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
        return copy;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string f in Directory.EnumerateFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (string d in Directory.EnumerateDirectories(from)) CopyFolder(d, Path.Combine(to, Path.GetFileName(d)));
    }

    private static JsonNode Layer0(JsonNode d) => d["network"]!["layers"]![0]!;

    /// <summary>model.json and weights.bin: 20 malformations, read through <c>diagnose --model</c>.</summary>
    public static TheoryData<string> ModelCases => [.. ModelEdits.Keys];

    private static readonly Dictionary<string, Action<string>> ModelEdits = new()
    {
        ["dtype Bool"] = m => Json(m, d => d["dtype"] = "Bool"),
        ["dtype Int8"] = m => Json(m, d => d["dtype"] = "Int8"),
        ["dtype 123"] = m => Json(m, d => d["dtype"] = "123"),
        ["units 1e9"] = m => Json(m, d => Layer0(d)["units"] = 1_000_000_000),
        ["input_shape -20"] = m => Json(m, d => d["network"]!["input_shape"] = new JsonArray(-20)),
        ["input_shape 0"] = m => Json(m, d => d["network"]!["input_shape"] = new JsonArray(0)),
        ["readout 7"] = m => Json(m, d => d["network"]!["readout"] = 7),
        ["layers null"] = m => Json(m, d => d["network"]!["layers"] = null),
        ["parameters null"] = m => Json(m, d => Layer0(d)["neuron"]!["parameters"] = null),
        ["surrogate null"] = m => Json(m, d => Layer0(d)["neuron"]!["surrogate"] = null),
        ["format missing"] = m => Json(m, d => d.AsObject().Remove("format")),
        ["units missing"] = m => Json(m, d => Layer0(d).AsObject().Remove("units")),
        ["unknown member"] = m => Json(m, d => Layer0(d)["unit"] = 5),
        ["not an object"] = m => File.WriteAllText(Path.Combine(m, "model.json"), "[1]"),
        ["empty model.json"] = m => File.WriteAllText(Path.Combine(m, "model.json"), ""),
        ["norm kind unknown"] = m => Json(m, d => Layer0(d)["norm"] = new JsonObject { ["kind"] = "batch" }),
        ["norm bntt without steps"] = m => Json(m, d => Layer0(d)["norm"] = new JsonObject { ["kind"] = "bntt" }),
        ["norm mpbn on cuba neurons"] = m => Json(m, d => Layer0(d)["norm"] = new JsonObject { ["kind"] = "mpbn" }),
        ["weights trailing bytes"] = m => File.AppendAllText(Path.Combine(m, "weights.bin"), "xxxx"),
        ["weights truncated"] = m => { using var f = File.OpenWrite(Path.Combine(m, "weights.bin")); f.SetLength(f.Length / 2); },
    };

    private static void Json(string model, Action<JsonNode> edit)
    {
        string path = Path.Combine(model, "model.json");
        JsonNode node = JsonNode.Parse(File.ReadAllText(path))!;
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(ModelCases))]
    public void A_broken_model_folder_is_one_error_naming_the_file(string malformation)
    {
        string model = Path.Combine(dir, "model");
        CopyFolder(Path.Combine(fixture.Run, "model"), model);
        ModelEdits[malformation](model);
        var r = HostileCli.Run(dir, "diagnose", "--model", model, "--dataset", "randman", "--batch", "4", "--threads", "1");
        HostileCli.AssertOneError(r, malformation.StartsWith("weights", StringComparison.Ordinal) ? "weights.bin" : "model.json", malformation);
    }

    /// <summary>checkpoint/state.json and optimizer.bin: 13 malformations, read by <c>train --resume</c>.</summary>
    public static TheoryData<string> StateCases => [.. StateEdits.Keys];

    private static readonly Dictionary<string, (string File, Action<JsonNode> Edit, string Names)> StateEdits = new()
    {
        ["options null"] = ("checkpoint/state.json", d => d["options"] = null, "state.json"),
        ["history null"] = ("checkpoint/state.json", d => d["history"] = null, "state.json"),
        ["schedule null"] = ("checkpoint/state.json", d => d["options"]!["schedule"] = null, "state.json"),
        ["regularizers null"] = ("checkpoint/state.json", d => d["options"]!["regularizers"] = null, "state.json"),
        ["next_epoch -3"] = ("checkpoint/state.json", d => d["next_epoch"] = -3, "next_epoch"),
        ["next_batch 1e9"] = ("checkpoint/state.json", d => d["next_batch"] = 1_000_000_000, "next_batch"),
        ["epochs 2^31-1"] = ("checkpoint/state.json", d => d["options"]!["epochs"] = int.MaxValue, "state.json: epochs"),
        ["epochs 2^31"] = ("checkpoint/state.json", d => d["options"]!["epochs"] = 1L << 31, "state.json"),
        ["history longer than next_epoch"] = ("checkpoint/state.json", d => d["next_epoch"] = 1, "history"),
        ["unknown member"] = ("checkpoint/state.json", d => d["extra"] = 1, "state.json"),
        ["optimizer by number"] = ("checkpoint/state.json", d => d["options"]!["optimizer"] = 3, "state.json"),
        ["learning rate edited"] = ("checkpoint/state.json", d => d["options"]!["learning_rate"] = 0.5, "learning_rate"),
        ["wall_seconds negative"] = ("checkpoint/state.json", d => d["wall_seconds"] = -1, "wall_seconds"),
    };

    [Theory]
    [MemberData(nameof(StateCases))]
    public void A_broken_checkpoint_state_is_one_error_naming_the_file_or_field(string malformation)
    {
        var (file, edit, names) = StateEdits[malformation];
        string run = Broken("run", file, edit);
        var r = HostileCli.Run(dir, "train", "--resume", run, "--threads", "1", "--epochs", "3");
        HostileCli.AssertOneError(r, names, malformation);
    }

    [Fact]
    public void Trailing_bytes_in_optimizer_state_and_a_truncated_state_are_errors_naming_the_file()
    {
        string run = Path.Combine(dir, "run");
        CopyFolder(fixture.Run, run);
        File.AppendAllText(Path.Combine(run, "checkpoint", "optimizer.bin"), "xx");
        HostileCli.AssertOneError(HostileCli.Run(dir, "train", "--resume", run, "--threads", "1", "--epochs", "3"), "optimizer.bin", "optimizer trailing");
        string other = Path.Combine(dir, "other");
        CopyFolder(fixture.Run, other);
        File.WriteAllText(Path.Combine(other, "checkpoint", "state.json"), "{\"options\": {");
        HostileCli.AssertOneError(HostileCli.Run(dir, "train", "--resume", other, "--threads", "1"), "state.json", "state truncated");
    }

    /// <summary>run.json: 14 malformations and edits that would silently change a resumed run.</summary>
    public static TheoryData<string> ManifestCases => [.. ManifestEdits.Keys];

    private static readonly Dictionary<string, (Action<JsonNode> Edit, string Names)> ManifestEdits = new()
    {
        ["seed edited"] = (d => d["seed"] = 7, "run.json: seed = 7"),
        ["batch edited"] = (d => d["batch"] = 17, "run.json: batch = 17"),
        ["depth 20000"] = (d => d["depth"] = 20000, "run.json: depth = 20000"),
        ["init edited"] = (d => d["init"] = "kaiming", "run.json: init"),
        ["dataset edited"] = (d => d["dataset"] = "mnist", "run.json: dataset"),
        ["learning rate edited"] = (d => d["options"]!["learning_rate"] = 0.5, "run.json: options.learning_rate"),
        ["epochs fewer"] = (d => d["options"]!["epochs"] = 1, "run.json: options.epochs"),
        ["options null"] = (d => d["options"] = null, "run.json"),
        ["epochs 2^31"] = (d => d["options"]!["epochs"] = 1L << 31, "run.json"),
        ["epochs 2^31-1"] = (d => d["options"]!["epochs"] = int.MaxValue, "run.json"),
        ["optimizer by number"] = (d => d["options"]!["optimizer"] = 3, "run.json"),
        ["seed a string"] = (d => d["seed"] = "abc", "run.json"),
        ["device edited"] = (d => d["device"] = "cuda:0", "run.json: device"),
        ["device invalid"] = (d => d["device"] = "gpu", "run.json: --device = 'gpu' is not a device"),
    };

    [Theory]
    [MemberData(nameof(ManifestCases))]
    public void An_edited_or_broken_run_json_is_refused_naming_the_field(string malformation)
    {
        var (edit, names) = ManifestEdits[malformation];
        string run = Broken("run", "run.json", edit);
        var before = Directory.EnumerateFiles(run, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        HostileCli.AssertOneError(HostileCli.Run(dir, "train", "--resume", run, "--threads", "1"), names, malformation);
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_corrupt_or_empty_run_json_is_one_error_naming_it()
    {
        foreach (string text in (string[])["{\"arch", "", "null", "[]"])
        {
            string run = Path.Combine(dir, "run" + text.Length);
            CopyFolder(fixture.Run, run);
            File.WriteAllText(Path.Combine(run, "run.json"), text);
            HostileCli.AssertOneError(HostileCli.Run(dir, "train", "--resume", run), "run.json", $"run.json '{text}'");
        }
    }

    /// <summary>Hostile options: every case of issue 15, each one error line naming the option.</summary>
    public static TheoryData<string, string> OptionCases => new()
    {
        { "train --lr 0,001 --max-batches 1", "lr = '0,001'" },
        { "train --lr 0,5 --max-batches 1", "lr = '0,5'" },
        { "train --lr 1,000 --max-batches 1", "lr = '1,000'" },
        { "train --optimizer 3", "optimizer = '3'" },
        { "train --schedule multistep:a,b", "schedule" },
        { "train --schedule multistep:", "schedule" },
        { "train --schedule multistep:99999999999", "schedule" },
        { "train --epochs 2147483647", "epochs" },
        { "train --time-chunk abc", "time-chunk" },
        { "train --test-split 0.2 --max-batches 1", "--test-split" },
        { "train --time-chunk -5", "time-chunk" },
        { "train --arch rossbroich-csnn --depth 4 --max-batches 1", "depth = 4" },
        { "train --arch rossbroich-dale --init kaiming --max-batches 1", "initialized by fluctuation" },
        { "train --arch micheli-mlp --beta 1", "beta = 1" },
        { "train --arch micheli-mlp --theta -1", "theta = -1" },
        { "train --arch micheli-mlp --width 0", "width = 0" },
        { "train --norm batch", "norm = 'batch'" },
        { "train --beta 0.5 --max-batches 1", "beta: rossbroich-shallow has no beta option" },
        { "train --norm mpbn --max-batches 1", "mpbn" },
        { "train --timerepeat 0", "timerepeat" },
        { "calibrate --calibrate rate:0.1 --tensorboard tb-logs", "--tensorboard acts only in training, and calibrate does not train" },
        { "diagnose --tensorboard tb-logs --epochs 3 --time-chunk sqrt", "--tensorboard, --epochs, --time-chunk act only in training, and diagnose does not train" },
        { "train --timerepeat 1000", "timerepeat" },
        { "train --target-initial-rate 1.5", "target-initial-rate" },
        { "train --target-initial-rate abc", "target-initial-rate" },
        { "compare --seeds abc", "seeds" },
        { "compare --seeds 1,,2", "seeds" },
        { "probe --width 1000000 --depth 2 --repeats 1", "--max-memory" },
        { "probe --steps 2147483647 --width 8 --depth 2 --repeats 1", "--max-memory" },
        { "probe --width 2000 --depth 4 --repeats 1 --max-memory 32M", "--max-memory" },
        { "demo --batch 2147483647", "--max-memory" },
        { "demo --beta 0,5 --width 8 --depth 2", "--beta" },
        { "demo --theta 1,5 --width 8 --depth 2", "--theta" },
        { "info --threads 10000", "threads = 10000" },
        { "info --max-memory 1,5G", "max-memory = '1,5G'" },
        { "info --max-memory 1K", "max-memory = '1K'" },
        { "data show randman --out /dev/null", "out = /dev/null" },
        { "train --tensorboard /dev/null --max-batches 1", "tensorboard = /dev/null" },
        { "sweep probe --shard 5/2", "shard = '5/2'" },
        { "train --device gpu", "--device = 'gpu' is not a device: use cpu, cuda (the first GPU) or cuda:N" },
        { "probe --device cuda:x --width 8 --depth 2 --repeats 1", "--device = 'cuda:x' is not a device" },
        { "demo --device cuda --width 8 --depth 2", "--device cuda: CUDA is not available in this process" },
        { "probe --device cuda:0 --width 8 --depth 2 --repeats 1", "TorchSharp-cuda-linux (or TorchSharp-cuda-windows) 0.107.0" },
        { "compare --device cuda --max-batches 1", "--device cuda: CUDA is not available" },
        { "diagnose --device cuda", "--device cuda: CUDA is not available" },
    };

    [Theory]
    [MemberData(nameof(OptionCases))]
    public void A_hostile_option_is_one_error_naming_it(string command, string names) =>
        HostileCli.AssertOneError(HostileCli.Run(dir, [.. command.Split(' '), .. command.Contains("--threads", StringComparison.Ordinal) ? (string[])[] : ["--threads", "1"]]), names, command);

    [Fact]
    public void An_image_folder_too_large_for_the_conv_preset_is_one_error_and_leaves_no_run_folder()
    {
        // 200 × 200 IDX images into ding-conv, which is built for 28 × 28
        string data = Path.Combine(dir, "wide");
        Directory.CreateDirectory(data);
        static byte[] Images(int n, int side) =>
            [0, 0, 8, 3, 0, 0, 0, (byte)n, 0, 0, 0, (byte)side, 0, 0, 0, (byte)side, .. Enumerable.Repeat((byte)7, n * side * side)];
        static byte[] Labels(int n) => [0, 0, 8, 1, 0, 0, 0, (byte)n, .. Enumerable.Range(0, n).Select(i => (byte)(i % 10))];
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte"), Images(20, 200));
        File.WriteAllBytes(Path.Combine(data, "train-labels-idx1-ubyte"), Labels(20));
        File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"), Images(10, 200));
        File.WriteAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"), Labels(10));
        string run = Path.Combine(dir, "wide-run");
        HostileCli.AssertOneError(HostileCli.Run(dir, "train", "--arch", "ding-conv", "--dataset", data, "--epochs", "1", "--out", run, "--threads", "1"),
                                  "[1, 28, 28]", "ding-conv on 200 x 200 images");
        Assert.False(Directory.Exists(run), "a failed start leaves no run folder");
    }

    [Fact]
    public void Outputs_that_are_fifos_devices_or_links_are_refused_and_left_alone()
    {
        string fifo = Path.Combine(dir, "pipe.png"), link = Path.Combine(dir, "null.png"), folderLink = Path.Combine(dir, "elsewhere");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
        File.CreateSymbolicLink(link, "/dev/null");
        Directory.CreateSymbolicLink(folderLink, Path.GetTempPath());
        HostileCli.AssertOneError(HostileCli.Run(dir, "data", "show", "randman", "--out", fifo), "FIFO", "fifo");
        HostileCli.AssertOneError(HostileCli.Run(dir, "data", "show", "randman", "--out", link), "symbolic link", "link to /dev/null");
        HostileCli.AssertOneError(HostileCli.Run(dir, "demo", "--width", "8", "--depth", "2", "--out", folderLink), "symbolic link", "folder link");
        Assert.Equal("/dev/null", new FileInfo(link).LinkTarget);
        Assert.Equal("FIFO (named pipe)", SpikeInit.Data.DataFile.KindOf(fifo));
    }

    [Fact]
    public void A_second_writer_of_a_run_folder_gets_a_clear_error()
    {
        string run = Path.Combine(dir, "run");
        CopyFolder(fixture.Run, run);
        using (RunLock.Acquire(run))
            HostileCli.AssertOneError(HostileCli.Run(dir, "train", "--resume", run, "--epochs", "3", "--threads", "1"), "in use by another spikeinit process", "locked");
        Assert.Equal(0, HostileCli.Run(dir, "train", "--resume", run, "--epochs", "3", "--threads", "1").Code);   // released: resumes
    }
}
