using Dendrite.Data;
using Dendrite.Data.Transforms;

namespace Dendrite.Tests.Devices;

// The data path on another device: batches and transforms stay on the input's device and equal the CPU results.
public sealed class DataDeviceTests
{
    [Fact]
    public void TensorDatasetGathersBatchesOnTheTensorsDevice()
    {
        var g = new Generator(9);
        var x = Tensor.RandN([50, 3, 4], g);
        var y = Tensor.RandInt(0, 10, [50], g);
        var w = Tensor.RandN([50], g, DType.Float64);
        var cpu = new TensorDataset(x, y, w);
        var fake = new TensorDataset(x.ToFake(), y.ToFake(), w.ToFake());
        int[] indices = [3, 7, 49, 0, 3];
        var a = cpu.GetBatch(indices);
        var b = fake.GetBatch(indices);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.Equal(Device.Cpu, a[i].Device);
            Assert.Equal(FakeDevice.Device, b[i].Device);
            Assert.Equal(a[i].Shape, b[i].Shape);
            Assert.Equal(a[i].DType, b[i].DType);
            Assert.Equal(a[i].ToArray<double>(), b[i].ToArray<double>());
        }
        Assert.Equal(x[7].ToArray<float>(), fake[7][0].ToArray<float>());
    }

    public static TheoryData<string> Transforms => ["flip", "crop", "normalize", "totensor", "compose"];

    private static ITransform Make(string name) => name switch
    {
        "flip" => new RandomHorizontalFlip(1.0, new Generator(1)),
        "crop" => new RandomCrop(4, 2, new Generator(2)),
        "normalize" => new Normalize([0.5, 0.2, 0.1], [0.3, 0.3, 0.2]),
        "totensor" => new ToTensor(),
        _ => new Compose(new RandomCrop(5, 1, new Generator(3)), new RandomHorizontalFlip(1.0, new Generator(4)), new Normalize(0.5, 0.25), new Flatten()),
    };

    [Theory]
    [MemberData(nameof(Transforms))]
    public void TransformsKeepTheInputsDevice(string name)
    {
        var image = name == "totensor"
            ? Tensor.RandInt(0, 256, [3, 6, 6], new Generator(5))
            : Tensor.RandN([3, 6, 6], new Generator(5));
        var onCpu = Make(name).Apply(image);
        var onFake = Make(name).Apply(image.ToFake());
        Assert.Equal(Device.Cpu, onCpu.Device);
        Assert.Equal(FakeDevice.Device, onFake.Device);
        Assert.Equal(onCpu.Shape, onFake.Shape);
        Assert.Equal(onCpu.ToArray<float>(), onFake.ToArray<float>());
    }

    [Fact]
    public void FlipOfAStridedImageOnTheDevice()
    {
        var image = Tensor.RandN([5, 7], new Generator(6), DType.Float64).Transpose(0, 1);
        var flip = new RandomHorizontalFlip(1.0);
        var expected = image.ToArray<double>();
        var got = flip.Apply(image.ToFake()).ToArray<double>();
        for (int r = 0; r < 7; r++)
            for (int c = 0; c < 5; c++)
                Assert.Equal(expected[r * 5 + c], got[r * 5 + 4 - c]);
    }
}
