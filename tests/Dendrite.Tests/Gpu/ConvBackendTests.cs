using Dendrite.Gpu.Backend;
using Dendrite.Gpu.Kernels.Conv;
using Dendrite.Gpu.Kernels.Gemm;
using Dendrite.NN;
using Dendrite.Ops;
using static Dendrite.Tests.Gpu.NnParity;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// The GPU convolutions on ilgpu-cpu against the CPU backend: Conv2d forward and backward for strides, padding,
/// dilation, groups (fewer and more groups than images), 1×1 and empty batches, the tiled GEMM and multi-block paths
/// forced on small shapes, and the fused Conv → ReLU → MaxPool(2) against the three CPU ops (ties, NaN, odd sizes).
/// </summary>
[Trait("Category", "Gpu")]
public sealed class ConvBackendTests
{
    private sealed record Case(int N, int C, int H, int W, int O, int KH, int KW, (int, int) Stride, (int, int) Pad, (int, int) Dilation,
        int Groups = 1, bool Bias = true);

    private static readonly Case[] Cases =
    [
        new(2, 3, 7, 6, 4, 3, 3, (1, 1), (1, 1), (1, 1)),
        new(2, 2, 9, 8, 3, 3, 2, (2, 3), (1, 0), (2, 1), Bias: false),
        new(3, 4, 5, 5, 6, 3, 3, (1, 2), (0, 1), (1, 1), Groups: 2),
        new(1, 4, 6, 5, 8, 2, 3, (1, 1), (1, 1), (1, 2), Groups: 4),     // more groups than images
        new(2, 3, 4, 5, 2, 1, 1, (1, 1), (0, 0), (1, 1), Bias: false),   // pointwise: the image is its column matrix
        new(2, 3, 5, 5, 2, 1, 1, (2, 2), (0, 0), (1, 1)),                // 1×1 with stride: im2col
        new(2, 1, 1, 1, 3, 1, 1, (1, 1), (0, 0), (1, 1)),                // 1×1 image
        new(0, 3, 5, 5, 2, 3, 3, (1, 1), (1, 1), (1, 1)),                // empty batch
    ];

    [Fact]
    public void Conv2dForwardAndBackwardMatchTheCpu()
    {
        foreach (var dtype in FloatTypes)
            foreach (var c in Cases)
                Check(c, dtype);
    }

    private static void Check(Case c, DType dtype)
    {
        string what = $"conv {c}";
        var (xc, xd) = Leaves(Random([c.N, c.C, c.H, c.W], dtype, 1));
        var (wc, wd) = Leaves(Random([c.O, c.C / c.Groups, c.KH, c.KW], dtype, 2));
        var (bc, bd) = c.Bias ? Leaves(Random([c.O], dtype, 3)) : (null, null);
        var yc = F.Conv2d(xc, wc, bc, c.Stride, c.Pad, c.Dilation, c.Groups);
        var yd = F.Conv2d(xd, wd, bd, c.Stride, c.Pad, c.Dilation, c.Groups);
        Assert.Equal(D, yd.Device);
        Close(yc, yd, what + " y");
        var g = Random(yc.ShapeArray, dtype, 4);
        yc.Backward(g);
        yd.Backward(g.To(D));
        Close(xc.Grad!, xd.Grad!, what + " dx");
        Close(wc.Grad!, wd.Grad!, what + " dW");
        if (c.Bias)
            Close(bc!.Grad!, bd!.Grad!, what + " db");
    }

    [Fact]
    public void TiledGemmAndSeveralBlocksGiveTheSameGradients()
    {
        // 5 images in blocks of 2 (the last one short), through the 64×64 tiled GEMM, grouped and not, pointwise and not.
        foreach (var dtype in FloatTypes)
        {
            CheckDirect(new Case(5, 4, 6, 7, 6, 3, 3, (1, 1), (1, 1), (1, 1), Groups: 2), dtype);
            CheckDirect(new Case(5, 3, 5, 5, 4, 2, 2, (2, 1), (0, 1), (1, 2)), dtype);
            CheckDirect(new Case(5, 4, 3, 4, 6, 1, 1, (1, 1), (0, 0), (1, 1), Groups: 2), dtype);
        }
    }

    private static void CheckDirect(Case c, DType dtype)
    {
        string what = $"conv (tiled, blocks of 2) {c}";
        var x = Random([c.N, c.C, c.H, c.W], dtype, 5);
        var w = Random([c.O, c.C / c.Groups, c.KH, c.KW], dtype, 6);
        var b = Random([c.O], dtype, 7);
        var geometry = new Conv2dGeometry(c.C / c.Groups, c.H, c.W, c.KH, c.KW, c.Stride.Item1, c.Stride.Item2, c.Pad.Item1, c.Pad.Item2,
            c.Dilation.Item1, c.Dilation.Item2);
        var p = ConvParams.From(geometry, c.Groups);
        var y = F.Conv2d(x, w, b, c.Stride, c.Pad, c.Dilation, c.Groups);
        var gy = Random(y.ShapeArray, dtype, 8);
        var cpu = Backend(Device.Cpu);
        var dx = Tensor.Zeros(x.ShapeArray, dtype);
        var dw = Tensor.Zeros(w.ShapeArray, dtype);
        var db = Tensor.Zeros(b.ShapeArray, dtype);
        cpu.Conv2dBackward(x.Raw, w.Raw, gy.Raw, geometry, c.Groups, dx.Raw, dw.Raw, db.Raw);

        Tensor xd = x.To(D), wd = w.To(D), bd = b.To(D), gd = gy.To(D);
        Tensor yd = Tensor.Zeros(y.ShapeArray, dtype, device: D), dxd = Tensor.Zeros(x.ShapeArray, dtype, device: D);
        Tensor dwd = Tensor.Zeros(w.ShapeArray, dtype, device: D), dbd = Tensor.Zeros(b.ShapeArray, dtype, device: D);
        var gpu = (GpuBackend)Backend(D);
        long block = 2L * c.C * c.KH * c.KW * y.ShapeArray[2] * y.ShapeArray[3];
        if (dtype == DType.Float32)
        {
            Convolution.Forward(gpu.Gpu, GpuBackend.Dense<float>(xd.Raw), GpuBackend.Dense<float>(wd.Raw), GpuBackend.Dense<float>(bd.Raw),
                GpuBackend.Dense<float>(yd.Raw), c.N, c.O, c.Groups, p, GemmPath.Tiled64, block);
            Convolution.Backward(gpu.Gpu, GpuBackend.Dense<float>(xd.Raw), GpuBackend.Dense<float>(wd.Raw), GpuBackend.Dense<float>(gd.Raw),
                c.N, c.O, c.Groups, p, GpuBackend.Dense<float>(dxd.Raw), GpuBackend.Dense<float>(dwd.Raw), GpuBackend.Dense<float>(dbd.Raw),
                GemmPath.Tiled64, block);
        }
        else
        {
            Convolution.Forward(gpu.Gpu, GpuBackend.Dense<double>(xd.Raw), GpuBackend.Dense<double>(wd.Raw), GpuBackend.Dense<double>(bd.Raw),
                GpuBackend.Dense<double>(yd.Raw), c.N, c.O, c.Groups, p, GemmPath.Tiled64, block);
            Convolution.Backward(gpu.Gpu, GpuBackend.Dense<double>(xd.Raw), GpuBackend.Dense<double>(wd.Raw), GpuBackend.Dense<double>(gd.Raw),
                c.N, c.O, c.Groups, p, GpuBackend.Dense<double>(dxd.Raw), GpuBackend.Dense<double>(dwd.Raw), GpuBackend.Dense<double>(dbd.Raw),
                GemmPath.Tiled64, block);
        }
        Close(y, yd, what + " y");
        Close(dx, dxd, what + " dx");
        Close(dw, dwd, what + " dW");
        Close(db, dbd, what + " db");
    }

    [Fact]
    public void FusedConvReluMaxPoolMatchesTheThreeCpuOps()
    {
        foreach (var dtype in FloatTypes)
        {
            Assert.True(Backend(D).FusesConv2dReluMaxPool(dtype, new Conv2dGeometry(1, 8, 8, 5, 5, padH: 2, padW: 2), 6));
            CheckFused(dtype, 2, 1, 8, 8, 3, 5, (2, 2), distinct: 0, nan: false);
            CheckFused(dtype, 3, 2, 7, 6, 4, 2, (0, 1), distinct: 3, nan: false);   // odd conv outputs, ties and all-negative windows
            CheckFused(dtype, 2, 2, 6, 6, 3, 3, (1, 1), distinct: 0, nan: true);
        }
    }

    private static void CheckFused(DType dtype, int n, int c, int h, int w, int o, int k, (int H, int W) pad, int distinct, bool nan)
    {
        string what = $"fused conv-relu-pool {n}x{c}x{h}x{w} → {o}, k {k}, pad {pad}, distinct {distinct}, nan {nan}";
        var x = Random([n, c, h, w], dtype, 11, distinct);
        if (nan)
        {
            var values = Read(x);
            values[14] = double.NaN;     // an interior pixel: every tap of channel 0 reads it
            x = Host(values, x.ShapeArray, dtype);
        }
        var (xc, xd) = Leaves(x);
        var (wc, wd) = Leaves(Random([o, c, k, k], dtype, 12, distinct));
        var (bc, bd) = Leaves(Random([o], dtype, 13, distinct));
        var pc = F.MaxPool2d(F.Relu(F.Conv2d(xc, wc, bc, (1, 1), pad)), 2);
        var pd = Conv2dReluMaxPoolOp.TryApply(xd, wd, bd, pad);
        Assert.NotNull(pd);
        Close(pc, pd, what + " y");
        var g = Random(pc.ShapeArray, dtype, 14);
        pc.Backward(g);
        pd.Backward(g.To(D));
        Close(xc.Grad!, xd.Grad!, what + " dx");
        Close(wc.Grad!, wd.Grad!, what + " dW");
        Close(bc.Grad!, bd.Grad!, what + " db");
    }

    [Fact]
    public void FusedForwardWithoutGradKeepsNoState()
    {
        var x = Random([2, 1, 6, 6], DType.Float32, 21);
        var w = Random([2, 1, 3, 3], DType.Float32, 22);
        var pooled = Tensor.Zeros([2, 2, 2, 2], DType.Float32, device: D);
        var state = Backend(D).Conv2dReluMaxPool(x.To(D).Raw, w.To(D).Raw, null, new Conv2dGeometry(1, 6, 6, 3, 3), pooled.Raw, keepState: false);
        Assert.Null(state);
        Close(F.MaxPool2d(F.Relu(F.Conv2d(x, w)), 2), pooled, "fused without state");
    }
}
