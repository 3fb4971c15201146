using Dendrite.Cli.Lab.Common;
using Dendrite.NN;

namespace Dendrite.Tests.Lab;

public sealed class CnnSpecTests
{
    [Fact]
    public void ASpecReadsAsItsLayers()
    {
        var spec = CnnSpec.Parse("cnn:c16k5s1p2-pool2-c32k3-pool-fc128-drop");
        Assert.Equal([CnnLayerKind.Conv, CnnLayerKind.Pool, CnnLayerKind.Conv, CnnLayerKind.Pool, CnnLayerKind.Fc, CnnLayerKind.Drop], spec.Layers.Select(l => l.Kind));
        Assert.Equal(new CnnLayer(CnnLayerKind.Conv, 16, 5, 1, 2, "c16k5s1p2"), spec.Layers[0]);
        Assert.Equal(new CnnLayer(CnnLayerKind.Conv, 32, 3, 1, 0, "c32k3"), spec.Layers[2]);
        Assert.Equal(2, spec.Layers[3].Size); // pool alone is pool2
        Assert.True(spec.HasDropout);
        // 28 → (28 + 4 − 5)/1 + 1 = 28 → 14 → (14 − 3) + 1 = 12 → 6: 32·6·6 features into fc128.
        var shapes = spec.Shapes(1, 28, 28, out var problem)!;
        Assert.Null(problem);
        Assert.Equal([(16, 28, 28), (16, 14, 14), (32, 12, 12), (32, 6, 6)], shapes.Take(4).Select(s => (s.Channels, s.Height, s.Width)));
        Assert.Equal(32 * 6 * 6, spec.FlatFeatures(1, 28, 28));
    }

    [Theory]
    [InlineData("cnn:c16k5s1p2-pool2-c32k3-pool2-fc128", 1, 28, 28)]
    [InlineData("cnn:c8k3s2p1-c16k3s2-fc32-drop", 3, 32, 32)]
    [InlineData("cnn:c4k7", 1, 28, 28)]
    [InlineData("lenet", 3, 32, 32)]
    [InlineData("cnn", 1, 28, 28)]
    public void TheBuiltNetworkHasTheShapesAndParameterCountTheSpecSays(string text, int c, int h, int w)
    {
        var spec = CnnSpec.Parse(text);
        var model = spec.Build(c, h, w, 10, "relu", 0.25, new Generator(1));
        Assert.Equal(spec.ParameterCount(c, h, w, 10), model.ParameterCount);
        model.Eval();
        var y = model.Forward(Tensor.Zeros(2, c, h, w));
        Assert.Equal([2, 10], y.Shape);
        // Each convolution's output has the size ⌊(H + 2p − k)/s⌋ + 1 that Shapes predicts.
        var x = Tensor.Zeros(1, c, h, w);
        var shapes = spec.Shapes(c, h, w, out _)!.Where(s => s.Layer.Kind is CnnLayerKind.Conv or CnnLayerKind.Pool).ToList();
        int k = 0;
        foreach (var layer in ((Sequential)model).Children())
        {
            if (layer is Flatten) break;
            x = layer.Forward(x);
            if (layer is Conv2d or MaxPool2d)
            {
                Assert.Equal([1, shapes[k].Channels, shapes[k].Height, shapes[k].Width], x.Shape);
                k++;
            }
        }
        Assert.Equal(shapes.Count, k);
    }

    [Fact]
    public void TheNamedModelsAreTheSpecsTheyAlwaysWere()
    {
        var lenet = ModelFactory.Build("lenet", new ModelFactory.Options(), new Generator(3));
        Assert.Equal(["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias"],
            lenet.NamedParameters().Select(p => p.Name));
        Assert.Equal([120, 400], lenet.NamedParameters().Single(p => p.Name == "7.weight").Tensor.Shape);
        Assert.Equal(61706, lenet.ParameterCount);
        var cnn = (Sequential)ModelFactory.Build("cnn", new ModelFactory.Options(Dropout: 0.5), new Generator(3));
        Assert.Equal([128, 64 * 7 * 7], cnn.NamedParameters().Single(p => p.Name == "7.weight").Tensor.Shape);
        Assert.IsType<Dropout>(cnn[9]);
        Assert.Equal(0.5, ((Dropout)cnn[9]).P);
        Assert.Equal([10, 128], cnn.NamedParameters().Single(p => p.Name == "10.weight").Tensor.Shape);
        // The same generator draws the same weights through the spec as through the layers written out.
        var rng = new Generator(3);
        var conv1 = new Conv2d(1, 6, 5, padding: 2, generator: rng);
        Assert.Equal(conv1.Weight.ToArray<float>(), lenet.NamedParameters().First().Tensor.ToArray<float>());
    }

    [Theory]
    [InlineData("cnn:", "lists its layers after 'cnn:'")]
    [InlineData("cnn:c16x5", "layer 1 'c16x5' is not a layer: use c<kernels>k<size>[s<stride>][p<padding>], pool[<size>], fc<units> or drop")]
    [InlineData("cnn:c16k5--pool", "layer 2 is empty")]
    [InlineData("cnn:c0k3", "layer 1 'c0k3': a convolution needs at least 1 kernel")]
    [InlineData("cnn:c8k0", "the kernel size must be at least 1")]
    [InlineData("cnn:c8k3s0", "the stride must be at least 1")]
    [InlineData("cnn:c16k3p3", "the padding (3) must be smaller than the kernel size (3)")]
    [InlineData("cnn:c16k99999999", "numbers may be at most 65536")]
    [InlineData("cnn:c16k5-pool0", "the pooling size must be a whole number from 1")]
    [InlineData("cnn:c16k5-fc0", "a fully connected layer needs from 1")]
    [InlineData("cnn:c16k5-fc10-c8k3", "layer 3 'c8k3' comes after a fully connected layer")]
    [InlineData("cnn:fc128-drop", "a CNN needs at least one convolution")]
    public void BadSpecsSayWhatIsWrong(string text, string message)
    {
        Assert.Null(CnnSpec.TryParse(text, out var problem));
        Assert.Contains(message, problem);
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => CnnSpec.Parse(text)).Message);
    }

    [Fact]
    public void ALayerThatDoesNotFitItsInputIsNamedWithTheShapesBeforeIt()
    {
        var spec = CnnSpec.Parse("cnn:c16k5-pool2-c32k9-pool2-c8k5");
        Assert.Null(spec.Shapes(1, 28, 28, out var problem));
        Assert.Equal("layer 'c8k5' needs an input of at least 5×5, but gets 2×2: 1×28×28 → c16k5 16×24×24 → pool2 16×12×12 → c32k9 32×4×4 → pool2 32×2×2; " +
                     "use fewer or smaller layers, padding or a smaller stride", problem);
        Assert.Contains("(4×4 padded)", ModelFactory.Problem("cnn:c8k5s4-c8k3s3-c8k5p1", 784, 10, [1, 28, 28]));
        Assert.Contains("takes images, but this data set has 2 features", ModelFactory.Problem("cnn:c8k3", 2, 2, null));
        Assert.Null(ModelFactory.Problem("cnn:c8k3", 3072, 10, [3, 32, 32]));
    }
}
