using Dendrite.Data.Transforms;

namespace Dendrite.Tests.Data;

public sealed class TransformTests
{
    [Fact]
    public void ToTensorScalesBytesByOneOver255()
    {
        var t = new ToTensor().Apply(new byte[] { 0, 51, 255, 128, 1, 2 }, 1, 2, 3);
        Assert.Equal(new[] { 1, 2, 3 }, t.Shape);
        Assert.Equal(new[] { 0f, 0.2f, 1f, 128f / 255f, 1f / 255f, 2f / 255f }, t.ToArray<float>());
        var fromInts = new ToTensor().Apply(Tensor.FromArray(new long[] { 0, 255 }, 1, 2));
        Assert.Equal(new[] { 0f, 1f }, fromInts.ToArray<float>());
        Assert.Throws<ArgumentException>(() => new ToTensor().Apply(Tensor.FromArray(new long[] { 256 })));
    }

    [Fact]
    public void NormalizeComposeAndFlatten()
    {
        var img = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 2, 2, 2);
        var t = new Compose(new Normalize([1, 5], [2, 4]), new Flatten());
        var r = t.Apply(img);
        Assert.Equal(new[] { 8 }, r.Shape);
        Assert.Equal(new[] { 0f, 0.5f, 1f, 1.5f, 0f, 0.25f, 0.5f, 0.75f }, r.ToArray<float>());
        Assert.Throws<ArgumentException>(() => new Normalize([1, 2, 3], [1, 1, 1]).Apply(img));
    }

    [Fact]
    public void RandomHorizontalFlipIsSeeded()
    {
        var img = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 1, 2, 3);
        var always = new RandomHorizontalFlip(1.0, new Generator(1));
        Assert.Equal(new float[] { 3, 2, 1, 6, 5, 4 }, always.Apply(img).ToArray<float>());
        Assert.Equal(img.ToArray<float>(), new RandomHorizontalFlip(0.0, new Generator(1)).Apply(img).ToArray<float>());
        var a = new RandomHorizontalFlip(0.5, new Generator(5));
        var b = new RandomHorizontalFlip(0.5, new Generator(5));
        var flipsA = Enumerable.Range(0, 40).Select(_ => a.Apply(img).ToArray<float>()[0] == 3).ToArray();
        var flipsB = Enumerable.Range(0, 40).Select(_ => b.Apply(img).ToArray<float>()[0] == 3).ToArray();
        Assert.Equal(flipsA, flipsB);
        Assert.Contains(true, flipsA);
        Assert.Contains(false, flipsA);
    }

    [Fact]
    public void RandomCropPadsWithZerosAndCutsAWindow()
    {
        var img = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 2, 2);
        var crop = new RandomCrop(2, padding: 1, generator: new Generator(3));
        var seen = new HashSet<string>();
        var g = new Generator(3);
        for (int i = 0; i < 30; i++)
        {
            var r = crop.Apply(img).ToArray<float>();
            int top = (int)g.NextInt64(0, 3), left = (int)g.NextInt64(0, 3);
            var expected = new float[4];
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 2; x++)
                {
                    int sy = top + y - 1, sx = left + x - 1;
                    expected[y * 2 + x] = sy is >= 0 and < 2 && sx is >= 0 and < 2 ? sy * 2 + sx + 1 : 0;
                }
            Assert.Equal(expected, r);
            seen.Add(string.Join(",", r));
        }
        Assert.True(seen.Count > 3);
        Assert.Throws<ArgumentException>(() => new RandomCrop(5).Apply(img));
    }
}

public sealed class ToTensorScaleTests
{
    [Fact]
    public void VectorisedScaleEqualsScalarDivisionForEveryByte()
    {
        var src = new byte[1000];
        for (int i = 0; i < src.Length; i++)
            src[i] = (byte)(i * 37 % 256);
        var dst = new float[src.Length];
        ToTensor.ScaleInto(src, dst);
        for (int i = 0; i < src.Length; i++)
            Assert.Equal(src[i] / 255f, dst[i]);
    }
}
