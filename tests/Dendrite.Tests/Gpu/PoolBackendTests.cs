using Dendrite.NN;
using static Dendrite.Tests.Gpu.NnParity;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// The GPU pooling kernels on ilgpu-cpu against the CPU backend, forward and backward: max pooling (2×2, padded,
/// strided, dilated, overlapping windows; ties and NaN; 3-D input; empty batch), average pooling (zero padding counted
/// in the divisor) and adaptive average pooling (overlapping, identity, global and enlarging windows).
/// </summary>
[Trait("Category", "Gpu")]
public sealed class PoolBackendTests
{
    private sealed record Window((int, int) Kernel, (int, int) Stride, (int, int) Pad, (int, int) Dilation);

    private static readonly Window[] MaxWindows =
    [
        new((2, 2), (2, 2), (0, 0), (1, 1)),
        new((3, 3), (2, 2), (1, 1), (1, 1)),
        new((2, 3), (1, 2), (1, 1), (2, 1)),
        new((3, 2), (1, 1), (0, 1), (1, 1)),    // overlapping windows share arg-maxes
    ];

    private static readonly Window[] AvgWindows =
    [
        new((2, 2), (2, 2), (0, 0), (1, 1)),
        new((3, 3), (2, 2), (1, 1), (1, 1)),
        new((3, 2), (1, 2), (1, 1), (1, 1)),
    ];

    private static readonly int[][] Shapes = [[2, 3, 7, 6], [3, 5, 5], [0, 2, 4, 4]];

    [Fact]
    public void MaxPoolMatchesTheCpuWithTiesAndNaN()
    {
        foreach (var dtype in FloatTypes)
            foreach (var shape in Shapes)
                foreach (var win in MaxWindows)
                    foreach (int distinct in new[] { 0, 3 })
                        Check($"max pool {win} distinct {distinct}", dtype, shape, distinct, nan: distinct == 3,
                            t => F.MaxPool2d(t, win.Kernel, win.Stride, win.Pad, win.Dilation));
    }

    [Fact]
    public void AvgPoolMatchesTheCpu()
    {
        foreach (var dtype in FloatTypes)
            foreach (var shape in Shapes)
                foreach (var win in AvgWindows)
                    Check($"avg pool {win}", dtype, shape, 0, nan: false, t => F.AvgPool2d(t, win.Kernel, win.Stride, win.Pad));
    }

    [Fact]
    public void AdaptiveAvgPoolMatchesTheCpu()
    {
        (int, int)[] outputs = [(3, 2), (7, 6), (1, 1), (9, 8)];
        foreach (var dtype in FloatTypes)
            foreach (var shape in Shapes)
                foreach (var size in outputs)
                    Check($"adaptive avg pool {size}", dtype, shape, 0, nan: false, t => F.AdaptiveAvgPool2d(t, size));
    }

    private static void Check(string what, DType dtype, int[] shape, int distinct, bool nan, Func<Tensor, Tensor> op)
    {
        what += $" {string.Join('x', shape)}";
        var x = Random(shape, dtype, 31, distinct);
        if (nan && x.Numel > 8)
        {
            var values = Read(x);
            values[3] = double.NaN;
            values[8] = double.NaN;
            x = Host(values, shape, dtype);
        }
        var (xc, xd) = Leaves(x);
        var yc = op(xc);
        var yd = op(xd);
        Assert.Equal(D, yd.Device);
        Close(yc, yd, what + " y");
        var g = Random(yc.ShapeArray, dtype, 32);
        yc.Backward(g);
        yd.Backward(g.To(D));
        Close(xc.Grad!, xd.Grad!, what + " dx");
    }

    [Fact]
    public void MaxPoolStateIsTheGpusAndIsDisposed()
    {
        var x = Random([1, 1, 4, 4], DType.Float32, 33).To(D);
        var y = Tensor.Zeros([1, 1, 2, 2], DType.Float32, device: D);
        var g = new Pool2dGeometry(4, 4, 2, 2, 2, 2);
        var backend = Backend(D);
        Assert.Null(backend.MaxPool2d(x.Raw, 1, g, y.Raw, keepState: false));
        var state = backend.MaxPool2d(x.Raw, 1, g, y.Raw, keepState: true);
        Assert.IsType<Dendrite.Gpu.Backend.DevicePoolIndices>(state);
        state!.Dispose();
        state.Dispose();
        var dx = Tensor.Zeros([1, 1, 4, 4], DType.Float32, device: D);
        Assert.Throws<ObjectDisposedException>(() => backend.MaxPool2dBackward(y.Raw, state, 1, g, dx.Raw));
    }
}
