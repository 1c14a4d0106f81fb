using SpikeInit.Data;

namespace SpikeInit.Tests;

public sealed class DatasetSourceTests() : TempFolderTest("spikeinit-sources-")
{
    /// <summary>A tiny N-MNIST root: Train/0..9 with <paramref name="perClass"/> recordings each, Test/0..9 with one.</summary>
    internal static string WriteNMnist(string root, int perClass = 2)
    {
        var random = new PortableRandom(7);
        foreach (var (split, count) in new[] { ("Train", perClass), ("Test", 1) })
            for (int label = 0; label < 10; label++)
            {
                string folder = Path.Combine(root, split, label.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Directory.CreateDirectory(folder);
                for (int i = 0; i < count; i++)
                {
                    AddressEvent[] events = [.. Enumerable.Range(0, 30).Select(t => new AddressEvent((byte)random.Next(34), (byte)random.Next(34), (byte)random.Next(2), 1000 * t + label))];
                    File.WriteAllBytes(Path.Combine(folder, $"{i:D5}.bin"), NMnist.Encode(events));
                }
            }
        return root;
    }

    /// <summary>An SHD-layout HDF5 file with two samples of classes 0 and 4.</summary>
    internal static string WriteShd(string path)
    {
        new PureHDF.H5File
        {
            ["spikes"] = new PureHDF.H5Group { ["times"] = new[] { new[] { 0.1f, 0.2f }, new[] { 0.3f } }, ["units"] = new[] { new ushort[] { 1, 2 }, new ushort[] { 3 } } },
            ["labels"] = new byte[] { 0, 4 },
        }.Write(path);
        return path;
    }

    /// <summary>An SHD-layout file of <paramref name="count"/> samples, 5 classes; sample i spikes once, at unit <paramref name="unit0"/> + i % 20.</summary>
    internal static string WriteShdSamples(string path, int count, int unit0)
    {
        new PureHDF.H5File
        {
            ["spikes"] = new PureHDF.H5Group
            {
                ["times"] = Enumerable.Range(0, count).Select(i => new[] { 0.01f * (i % 50) }).ToArray(),
                ["units"] = Enumerable.Range(0, count).Select(i => new[] { (ushort)(unit0 + i % 20) }).ToArray(),
            },
            ["labels"] = Enumerable.Range(0, count).Select(i => (byte)(i % 5)).ToArray(),
        }.Write(path);
        return path;
    }

    [Fact]
    public void Every_name_and_alias_of_the_registry_resolves_to_its_source()
    {
        var catalog = new DataCatalog(dir);
        Assert.Equal(["randman", "randman-700", "fashion-mnist", "mnist", "shd", "ssc", "nmnist"], catalog.Sources.Select(s => s.Name));
        foreach (IDatasetSource s in catalog.Sources)
            foreach (string name in (string[])[s.Name, s.Name.ToUpperInvariant(), $" {s.Name} ", .. s.Aliases])
                Assert.Same(s, catalog.Resolve(name));
        Assert.Equal("fashion-mnist", catalog.Resolve("fmnist").Name);
        Assert.Equal(DataForm.Events, catalog.Resolve("n-mnist").Form);
        Assert.False(catalog.Resolve("nmnist").Available);   // an empty cache
        Assert.Contains(Path.Combine(dir, "nmnist"), catalog.Resolve("nmnist").Location, StringComparison.Ordinal);
        Assert.True(catalog.Resolve("randman").Available);
        Assert.Equal([20L], catalog.Resolve("randman").SampleShape);
    }

    [Fact]
    public void Unknown_names_give_one_error_that_lists_the_valid_names()
    {
        var e = Assert.Throws<ArgumentException>(() => new DataCatalog(dir).Resolve("cifar"));
        Assert.StartsWith("unknown dataset 'cifar'; choose one of randman, randman-700, fashion-mnist, mnist, shd, ssc, nmnist, ", e.Message, StringComparison.Ordinal);
        Assert.Contains(".hdf5", e.Message, StringComparison.Ordinal);
        Assert.Contains("generated from a seed", Assert.Throws<ArgumentException>(() => new DataCatalog(dir).Resolve("randman", dir)).Message, StringComparison.Ordinal);
        var missing = Assert.Throws<FileNotFoundException>(() => new DataCatalog(dir).Resolve("nmnist").Load(new DataRequest { BatchSize = 2 }));
        Assert.Contains("--data-dir", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("shd_train.h5")]
    [InlineData("shd_train.hdf5")]
    [InlineData("SHD_TRAIN.HDF5")]
    public void Hdf5_and_h5_files_are_the_same_kind_of_source(string file)
    {
        string path = WriteShd(Path.Combine(dir, file));
        IDatasetSource s = new DataCatalog(dir).Resolve(path);
        Assert.Equal(DataForm.Recordings, s.Form);
        Assert.True(s.Available);
        Assert.Equal(5, s.Classes);
        Assert.Equal([700L], s.SampleShape);
        // SHD is tested on its own test file only: without one, loading is an error naming the file it looked for
        string testFile = ShdSource.TestFile(path)!;
        Assert.Equal(Path.GetFileName(path).Replace("train", "test", StringComparison.Ordinal).Replace("TRAIN", "TEST", StringComparison.Ordinal), Path.GetFileName(testFile));
        var missing = Assert.Throws<FileNotFoundException>(() => s.Load(new DataRequest { BatchSize = 8, Seed = 1 }));
        Assert.Contains(testFile, missing.Message, StringComparison.Ordinal);
        // too few samples for a validation split is an error at load time
        var tooFew = Assert.Throws<ArgumentException>(() => s.Load(new DataRequest { BatchSize = 8, Seed = 1, TestFraction = 0.5 }));
        Assert.Contains("every split needs at least one sample", tooFew.Message, StringComparison.Ordinal);
        WriteShdSamples(path, 20, 0);
        WriteShdSamples(testFile, 5, 100);
        s = new DataCatalog(dir).Resolve(path);
        ITrainingData data = s.Load(new DataRequest { BatchSize = 8, Seed = 1 });
        Assert.Equal(18, data.TrainCount);                                      // 10 % held out for validation (seeded)
        Assert.Equal(2, data.Validation().Sum(b => b.Y.shape[0]));
        var (testX, _) = data.Test().Single();
        Assert.Equal(new long[] { 349, 5, 700 }, testX.shape);
        Assert.Equal(5, testX.sum().item<float>());                                             // one spike per test sample …
        Assert.Equal(5, testX[TorchSharp.torch.TensorIndex.Ellipsis, 100..120].sum().item<float>()); // … at units 100.. (the test file's)
        Assert.Contains("from " + testFile, data.Splits, StringComparison.Ordinal);
        ITrainingData held = s.Load(new DataRequest { BatchSize = 8, Seed = 1, TestFraction = 0.25 });  // 5 test, then 2 of 15 validation
        Assert.Equal((13, 5), (held.TrainCount, (int)held.Test().Sum(b => b.Y.shape[0])));
        Assert.Throws<ArgumentException>(() => s.Load(new DataRequest { BatchSize = 8, Seed = 1, LimitTrain = 4 }));
        // the registry's shd is found in the cache under either extension, and --data-dir names a folder holding it
        Directory.CreateDirectory(Path.Combine(dir, "shd"));
        File.Copy(path, Path.Combine(dir, "shd", "shd_train" + Path.GetExtension(path).ToLowerInvariant()));
        Assert.True(new DataCatalog(dir).Resolve("shd").Available);
        Assert.True(new DataCatalog().Resolve("shd", Path.Combine(dir, "shd")).Available);
    }

    [Fact]
    public void Nmnist_folders_resolve_by_name_with_data_dir_by_path_and_from_the_cache()
    {
        string root = WriteNMnist(Path.Combine(dir, "nmnist"));
        var catalog = new DataCatalog(dir);
        foreach (IDatasetSource s in new[] { catalog.Resolve("nmnist"), catalog.Resolve("nmnist", root), catalog.Resolve(root), catalog.Resolve("mine", root) })
        {
            Assert.Equal(DataForm.Events, s.Form);
            Assert.True(s.Available);
            Assert.Equal([2L, 34, 34], s.SampleShape);
        }
        ITrainingData flat = catalog.Resolve("nmnist").Load(new DataRequest { BatchSize = 4, Seed = 3, Steps = 5 });
        Assert.Equal([2312L], flat.InputShape);
        Assert.Equal((18, 10), (flat.TrainCount, flat.Classes));   // 20 recordings, 10 % held out for validation
        var (x, y) = flat.Train(0).First();
        Assert.Equal(new long[] { 5, 4, 2312 }, x.shape);
        Assert.Equal(new long[] { 4 }, y.shape);
        Assert.Equal(2, flat.Validation().Sum(b => (int)b.Y.shape[0]));
        Assert.Equal(10, flat.Test().Sum(b => (int)b.Y.shape[0]));
        // the frames are NMnist.Frames of the files, batch-major → time-major
        var item = NMnist.Index(Path.Combine(root, "Test"))[0];
        var (tx, ty) = catalog.Resolve(root).Load(new DataRequest { BatchSize = 1, Steps = 5, Flatten = false }).Test().First();
        Assert.Equal(new long[] { 5, 1, 2, 34, 34 }, tx.shape);
        Assert.Equal(item.Label, ty.item<long>());
        Assert.True(NMnist.Frames(NMnist.Read(item.Path), 5).eq(tx[.., 0]).all().item<bool>());
    }

    [Fact]
    public void Any_other_name_with_data_dir_reads_an_idx_folder_under_that_name()
    {
        Idx.Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), new IdxArray([4, 3, 3], new byte[36]));
        Idx.Write(Path.Combine(dir, "train-labels-idx1-ubyte"), new IdxArray([4], [0, 1, 2, 1]));
        Idx.Write(Path.Combine(dir, "t10k-images-idx3-ubyte"), new IdxArray([2, 3, 3], new byte[18]));
        Idx.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), new IdxArray([2], [9, 0]));
        var catalog = new DataCatalog(dir);
        IDatasetSource s = catalog.Resolve("custom", dir);
        Assert.Equal(DataForm.Images, s.Form);
        Assert.Equal([1L, 3, 3], s.SampleShape);
        Assert.Equal("custom/train", catalog.LoadImages("custom", dir).Train.Name);
        Assert.Same(catalog.LoadImages("custom", dir), catalog.LoadImages("custom", dir));   // read once per catalog
        Assert.Equal(DataForm.Images, catalog.Resolve(dir).Form);
    }
}
