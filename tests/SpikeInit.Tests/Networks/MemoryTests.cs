using TorchSharp;

namespace SpikeInit.Tests;

public class MemoryTests
{
    [Fact]
    public void Native_tensor_count_does_not_grow_across_50_forward_backward_batches()
    {
        NetworkSpec spec = NetworkSpec.Builder(1, 8, 8).Conv(4, 3, new LifNeuron(), padding: 1).MaxPool(2).Flatten()
                                      .Recurrent(12, new LifNeuron()).Dense(3, new LifNeuron()).Build();
        using var net = SpikingNetwork.Create(spec, new Generator(1));
        using var generator = new Generator(2);
        long Live() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        long? afterWarmUp = null;
        for (int batch = 0; batch < 50; batch++)
        {
            using (NewDisposeScope())
            {
                Tensor x = randn([6, 4, 1, 8, 8], generator: generator);
                Tensor loss = nn.functional.cross_entropy(net.Run(x).Output, randint(0, 3, [4], generator: generator));
                loss.backward();
                using (no_grad())
                    foreach (var p in net.parameters()) p.sub_(p.grad! * 1e-3);
                net.zero_grad();
            }
            if (batch == 4) afterWarmUp = Live();
        }
        Assert.Equal(afterWarmUp, Live());
    }
}
