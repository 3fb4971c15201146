using Dendrite.NN;
using static Dendrite.Tests.Gpu.BackendPair;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// The loss ops end to end on ilgpu-cpu (validation, forward, reduction, backward through autograd) against the CPU,
/// for the losses whose whole path runs on this area's kernels.
/// </summary>
[Trait("Category", "Gpu")]
public sealed class LossOpsOnDeviceTests
{
    private static (Tensor Loss, Tensor? Grad) Run(Device device, DType dtype, string loss, Reduction reduction, bool weighted, double smoothing)
    {
        var g = new Generator(3);
        var x = Tensor.RandN([6, 4], g, dtype).To(device);
        x.RequiresGrad = true;
        var labels = Tensor.FromArray(new long[] { 0, 3, -100, 2, 1, 3 }, [6], device);
        var w = weighted ? Tensor.FromArray(new[] { 0.5, 2.0, 1.0, 1.5 }, [4]).To(dtype).To(device) : null;
        var y = loss switch
        {
            "ce" => F.CrossEntropy(x, labels, w, smoothing, reduction: reduction),
            "nll" => F.NllLoss(x, labels, w, reduction: reduction),
            _ => F.MseLoss(x, Tensor.RandN([6, 4], g, dtype).To(device), reduction),
        };
        Assert.Equal(device, y.Device);
        if (reduction == Reduction.None)
            y.Backward(Tensor.RandN(y.ShapeArray, new Generator(9), dtype).To(device));
        else
            y.Backward();
        return (y, x.Grad);
    }

    [Theory]
    [InlineData("ce", Reduction.Mean, true, 0.1, DType.Float64)]
    [InlineData("ce", Reduction.Sum, false, 0.0, DType.Float32)]
    [InlineData("ce", Reduction.None, true, 0.0, DType.Float64)]
    [InlineData("nll", Reduction.Mean, true, 0.0, DType.Float32)]
    [InlineData("nll", Reduction.None, false, 0.0, DType.Float64)]
    [InlineData("mse", Reduction.Mean, false, 0.0, DType.Float64)]
    public void LossesAndGradientsMatchTheCpu(string loss, Reduction reduction, bool weighted, double smoothing, DType dtype)
    {
        var (cpuLoss, cpuGrad) = Run(Device.Cpu, dtype, loss, reduction, weighted, smoothing);
        var (devLoss, devGrad) = Run(Device.IlgpuCpu, dtype, loss, reduction, weighted, smoothing);
        var (rel, abs) = Tolerance(dtype);
        Close(cpuLoss.ToArray<double>(), devLoss.ToArray<double>(), rel, abs, $"{loss} {reduction} loss");
        Assert.Equal(Device.IlgpuCpu, devGrad!.Device);
        Close(cpuGrad!.ToArray<double>(), devGrad.ToArray<double>(), rel, abs, $"{loss} {reduction} gradient");
    }

    [Fact]
    public void InvalidLabelsAndProbabilitiesAreReportedFromTheDevice()
    {
        var d = Device.IlgpuCpu;
        var x = Tensor.Zeros([3, 4], device: d);
        var e = Assert.Throws<ArgumentException>(() => F.CrossEntropy(x, Tensor.FromArray(new long[] { 0, 4, 1 }, [3], d)));
        Assert.Contains("target label 4 is out of range for 4 classes", e.Message);
        var p = Tensor.FromArray(new[] { 0.5f, 1.25f }, [2], d);
        e = Assert.Throws<ArgumentException>(() => F.BinaryCrossEntropy(p, Tensor.Zeros([2], device: d), reduction: Reduction.None));
        Assert.Contains("element 1 is 1.25", e.Message);
    }
}
