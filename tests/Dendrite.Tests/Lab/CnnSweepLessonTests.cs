using System.Text.RegularExpressions;
using Dendrite.Tests.Data;

namespace Dendrite.Tests.Lab;

// NNDL 5: kernels, stride and padding of a convolution, one at a time, on Fashion-MNIST.
public sealed class CnnSweepLessonTests
{
    [FashionMnistFact]
    public void StrideAndPaddingSetTheFeatureMapAndTheParametersFollow()
    {
        using var run = new LabRun("cnn-sweep");
        // ⌊(28 + 2P − 5)/S⌋ + 1: 28 with padding 2, 24 without, 14 at stride 2.
        Assert.Equal(28, run.Metric("conv1_size_base"));
        Assert.Equal(24, run.Metric("conv1_size_padding_0"));
        Assert.Equal(14, run.Metric("conv1_size_stride_2"));
        // Features into fc64 after c32k3 and two poolings: 32·6·6, 32·5·5, 32·2·2.
        Assert.Equal(1152, run.Metric("flat_features_base"));
        Assert.Equal(800, run.Metric("flat_features_padding_0"));
        Assert.Equal(128, run.Metric("flat_features_stride_2"));
        // Parameters: conv1 k²·C·1 + C, conv2 9·C·32 + 32, fc64 features·64 + 64, fc10 650.
        static double Count(int kernels, int features) => 25 * kernels + kernels + 9 * kernels * 32 + 32 + features * 64 + 64 + 64 * 10 + 10;
        Assert.Equal(Count(16, 1152), run.Metric("parameters_base"));
        Assert.Equal(Count(4, 1152), run.Metric("parameters_kernels_4"));
        Assert.Equal(Count(32, 1152), run.Metric("parameters_kernels_32"));
        Assert.Equal(Count(16, 128), run.Metric("parameters_stride_2"));
        Assert.Equal(Count(16, 800), run.Metric("parameters_padding_0"));
        foreach (var name in new[] { "base", "kernels_4", "kernels_32", "stride_2", "padding_0" })
            Assert.InRange(run.Metric($"test_acc_{name}"), 0.2, 1); // better than the 0.1 of chance after one short epoch
        run.PassedCheck("each first convolution's output");
        run.PassedCheck("each network has k²·C_in·C_out + C_out parameters");
        run.PassedCheck("stride 2 quarters the first feature map");
        // The table shows every network with its spec, feature map (× is written &#215;), parameters, accuracy and time.
        var table = Regex.Match(run.Html, "<h3>Kernels, stride and padding</h3><table>(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(5, Regex.Matches(table, @"<tr><td>[^<]+</td><td>cnn:c\d+k5s\dp\d-pool2-c32k3-pool2-fc64</td><td>\d+&#215;\d+&#215;\d+</td><td>\d+</td><td>[\d,]+</td><td>0\.\d{4}</td><td>\d+\.\d</td></tr>").Count);
    }
}
