using System.Numerics;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>
/// 2-D average pooling with zero padding counted in the divisor (PyTorch's count_include_pad = true); the
/// backward spreads each output gradient evenly over its window.
/// </summary>
internal sealed class AvgPool2dOp : GradFn
{
    private Pool2dGeometry _g;
    private int _planes;
    private int[] _inShape = [];

    public override string Name => "AvgPool2DBackward";

    public static Tensor Apply(Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding)
    {
        const string op = "AvgPool2d";
        PoolShape.CheckInput(x, op);
        var g = PoolShape.Geometry(x, op, kernel, stride, padding, (1, 1));
        var (planes, outShape) = PoolShape.Of(x, op, g.OutH, g.OutW);
        var xc = x.Dense();
        var y = Tensor.Allocate(outShape, x.DType, false);
        if (x.DType == DType.Float32)
            Forward<float>(xc, y, planes, g);
        else
            Forward<double>(xc, y, planes, g);
        if (!ShouldRecord(x))
            return y;
        var fn = new AvgPool2dOp { _g = g, _planes = planes, _inShape = x.ShapeArray };
        return Record(fn, y, x);
    }

    private static void Forward<T>(Tensor xt, Tensor yt, int planes, Pool2dGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = xt.Array<T>(), y = yt.Array<T>();
        int xOff = xt.Offset, inP = g.InputPlaneSize, outP = g.OutputPlaneSize;
        int chunks = NNKernels.Chunks(planes, (long)planes * outP * g.KH * g.KW * 2);
        NNKernels.For(chunks, t =>
        {
            var (lo, hi) = NNKernels.Range(planes, chunks, t);
            AvgPool2d.Forward<T>(x.AsSpan(xOff + lo * inP, (hi - lo) * inP), hi - lo, g, y.AsSpan(lo * outP, (hi - lo) * outP));
        });
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.Dense();
        var dx = Tensor.Allocate((int[])_inShape.Clone(), g.DType, true);
        if (g.DType == DType.Float32)
            AvgPool2d.Backward<float>(g.Span<float>(), _planes, _g, dx.Span<float>());
        else
            AvgPool2d.Backward<double>(g.Span<double>(), _planes, _g, dx.Span<double>());
        return [dx];
    }
}
