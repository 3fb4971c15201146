using Dendrite.Distributed;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training;

namespace Dendrite.Tests.Distributed;

// In-process checks of the wrapper with a group of one process (the two-process behaviour: MpiJobTests).
public sealed class DistributedDataParallelTests
{
    private static Sequential Mlp(DType dtype = DType.Float32) =>
        new(new Linear(3, 4, dtype: dtype, generator: new Generator(1)), new ReLU(), new Linear(4, 2, dtype: dtype, generator: new Generator(2)));

    [Fact]
    public void TheWrapperComputesTheModelAndNamesItsStateModuleDot()
    {
        var model = Mlp();
        var ddp = new DistributedDataParallel(model, ProcessGroup.Single());
        var x = Tensor.RandN([5, 3], new Generator(3));
        Assert.Equal(model.Call(x).ToArray<float>(), ddp.Call(x).ToArray<float>());
        Assert.Equal(model.StateDict().Keys.Select(k => "module." + k), ddp.StateDict().Keys);
        Assert.Same(model, ddp.Module);
        Assert.Equal(model.Parameters(), ddp.Parameters());
        var trainer = new Trainer(ddp, new SGD(ddp.Parameters(), lr: 0.1), new CrossEntropyLoss());
        Assert.Same(model, trainer.UnwrappedModel); // checkpoints hold the plain model's keys
        Assert.True(trainer.IsMainProcess);
    }

    [Fact]
    public void GradientsTravelInBucketsOfOneDtypeUpToTheCap()
    {
        // 3x4 + 4 + 4x2 + 2 floats = 64 + 16 + 32 + 8 bytes; a 48-byte cap: [w1 (48)], [b1, w2 (16 + 32)], [b2]
        var ddp = new DistributedDataParallel(Mlp(), ProcessGroup.Single(), bucketCapMB: 48.0 / (1 << 20));
        Assert.Equal(new long[] { 48, 48, 8 }, ddp.BucketBytes);
        // float32 and float64 parameters never share a bucket: [w1, b1] in float32 (64), [w2, b2] in float64 (64 + 16).
        var mixed = new Sequential(new Linear(3, 4), new Linear(4, 2, dtype: DType.Float64));
        Assert.Equal(new long[] { 64, 80 }, new DistributedDataParallel(mixed, ProcessGroup.Single()).BucketBytes);
        Assert.Single(new DistributedDataParallel(Mlp(), ProcessGroup.Single()).BucketBytes); // the default 4 MB holds them all
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedDataParallel(Mlp(), ProcessGroup.Single(), bucketCapMB: 0));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void AveragingOverOneRankKeepsTheGradientsAndLeavesUnusedOnesEmpty(string deviceName)
    {
        // The bucket path itself (flatten, all-reduce, divide, write back) with a group of one: what a rank sends comes back.
        var device = Device.Parse(deviceName);
        var model = Mlp().To(device);
        var x = Tensor.RandN([6, 3], new Generator(4)).To(device);
        model.Call(x).Square().Sum().Backward();
        var expected = model.Parameters().Select(p => p.Grad!.ToArray<float>()).ToList();
        var unused = new Linear(2, 2).To(device);
        var parameters = model.Parameters().Concat(unused.Parameters()).ToList();
        foreach (var bucket in GradientBucket.Build(parameters, capBytes: 40))
            bucket.Average(ProcessGroup.Single());
        Assert.Equal(expected, model.Parameters().Select(p => p.Grad!.ToArray<float>()));
        Assert.All(unused.Parameters(), p => Assert.Null(p.Grad));
    }

    [Fact]
    public void AParameterThatIsNotFloatingPointCannotBeAveraged() =>
        Assert.Contains("must be Float32 or Float64", Assert.Throws<ArgumentException>(() => GradientBucket.Build([Tensor.Zeros(2).To(DType.Int64)], 100)).Message);
}
