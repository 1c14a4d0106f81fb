namespace SpikeInit.Tests;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"spikeinit-model-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [MemberData(nameof(NetworkTests.Specs), MemberType = typeof(NetworkTests))]
    public void Saved_models_load_with_identical_architecture_weights_and_outputs(string name)
    {
        NetworkSpec spec = NetworkTests.SpecNamed(name);
        using var net = NetworkTests.Build(spec);
        ModelStore.Save(net, dir);
        using var loaded = ModelStore.Load(dir);
        Assert.Equal(ModelStore.ToJson(spec), ModelStore.ToJson(loaded.Spec));
        Tensor x = randn([4, 2, .. spec.InputShape], dtype: ScalarType.Float64, generator: new Generator(9)) * 3;
        using var _ = no_grad();
        Assert.True(net.Run(x).Output.equal(loaded.Run(x).Output).all().item<bool>());
        Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
    }

    [Fact]
    public void Json_describes_neuron_and_surrogate_readably()
    {
        var neuron = new LifNeuron(new LifParameters(0.9, 0.5, LifReset.ZeroAfterInput), new NormalizedSurrogate(SurrogateShape.QPseudoSpike, 0.5, 2, 1.8));
        string json = ModelStore.ToJson(NetworkSpec.Builder(3).Recurrent(4, neuron).Build());
        Assert.Contains("\"type\": \"recurrent\"", json);
        Assert.Contains("\"model\": \"lif\"", json);
        Assert.Contains("\"reset\": \"zero_after_input\"", json);
        Assert.Contains("\"kind\": \"normalized\"", json);
        Assert.Contains("\"shape\": \"q_pseudo_spike\"", json);
        Assert.DoesNotContain("\"peak\"", json);
        NetworkSpec back = ModelStore.SpecFromJson(json);
        Assert.Equal(neuron, ((RecurrentLayer)back.Layers[0]).Neuron);
    }

    [Fact]
    public void Broken_files_give_clear_errors()
    {
        Assert.Throws<FileNotFoundException>(() => ModelStore.Load(dir));
        using var net = NetworkTests.Build(Architectures.DeepDense(4, 4, 1, new LifNeuron()));
        ModelStore.Save(net, dir);
        string json = Path.Combine(dir, "model.json");
        string original = File.ReadAllText(json);

        File.WriteAllText(json, original[..(original.Length / 2)]);
        Assert.Contains("malformed JSON", Assert.Throws<InvalidDataException>(() => ModelStore.Load(dir)).Message);

        File.WriteAllText(json, original.Replace("\"beta\": 0.5", "\"beta\": 1.5", StringComparison.Ordinal));
        Assert.Contains("beta = 1.5 is outside the valid range [0, 1]", Assert.Throws<InvalidDataException>(() => ModelStore.Load(dir)).Message);

        File.WriteAllText(json, original.Replace("\"units\": 4", "\"units\": 5", StringComparison.Ordinal));
        Assert.Contains("weights do not match", Assert.Throws<InvalidDataException>(() => ModelStore.Load(dir)).Message);

        File.WriteAllText(json, original);
        string weights = Path.Combine(dir, "weights.bin");
        byte[] bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        Assert.Contains("weights do not match", Assert.Throws<InvalidDataException>(() => ModelStore.Load(dir)).Message);
    }
}
