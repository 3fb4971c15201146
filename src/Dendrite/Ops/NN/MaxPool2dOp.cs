using System.Numerics;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>
/// 2-D max pooling (padding acts as −∞, floor output size); the backward routes each output gradient to its
/// window's arg-max, recorded in the forward.
/// </summary>
internal sealed class MaxPool2dOp : GradFn
{
    private Pool2dGeometry _g;
    private int _planes;
    private int[] _inShape = [];
    private int[]? _indices;

    public override string Name => "MaxPool2DWithIndicesBackward";

    public static Tensor Apply(Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation)
    {
        const string op = "MaxPool2d";
        PoolShape.CheckInput(x, op);
        var g = PoolShape.Geometry(x, op, kernel, stride, padding, dilation);
        var (planes, outShape) = PoolShape.Of(x, op, g.OutH, g.OutW);
        var xc = x.Dense();
        var y = Tensor.Allocate(outShape, x.DType, false);
        var idx = new int[planes * g.OutputPlaneSize];
        if (x.DType == DType.Float32)
            Forward<float>(xc, y, idx, planes, g);
        else
            Forward<double>(xc, y, idx, planes, g);
        if (!ShouldRecord(x))
            return y;
        var fn = new MaxPool2dOp { _g = g, _planes = planes, _inShape = x.ShapeArray, _indices = idx };
        return Record(fn, y, x);
    }

    private static void Forward<T>(Tensor xt, Tensor yt, int[] idx, int planes, Pool2dGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = xt.Array<T>(), y = yt.Array<T>();
        int xOff = xt.Offset, inP = g.InputPlaneSize, outP = g.OutputPlaneSize;
        int chunks = NNKernels.Chunks(planes, (long)planes * outP * g.KH * g.KW * 4);
        NNKernels.For(chunks, t =>
        {
            var (lo, hi) = NNKernels.Range(planes, chunks, t);
            MaxPool2d.Forward<T>(x.AsSpan(xOff + lo * inP, (hi - lo) * inP), hi - lo, g,
                y.AsSpan(lo * outP, (hi - lo) * outP), idx.AsSpan(lo * outP, (hi - lo) * outP));
        });
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var g = gradOutput.Dense();
        if (g.DType == DType.Float32 && _g.IsTwoByTwo && MaxPool2x2.DenseBackwardSupported(_g.W))
        {
            // Non-overlapping windows: every input element is written once, so no zeroed buffer is needed.
            var dense = Tensor.Allocate((int[])_inShape.Clone(), g.DType, false);
            float[] go = g.Array<float>(), gi = dense.Array<float>();
            int gOff = g.Offset, inP = _g.InputPlaneSize, outP = _g.OutputPlaneSize, planes = _planes;
            int[] idx = _indices!;
            int chunks = NNKernels.Chunks(planes, (long)planes * inP);
            NNKernels.For(chunks, t =>
            {
                var (lo, hi) = NNKernels.Range(planes, chunks, t);
                MaxPool2x2.BackwardDense(go.AsSpan(gOff + lo * outP, (hi - lo) * outP), idx.AsSpan(lo * outP, (hi - lo) * outP),
                    hi - lo, _g.H, _g.W, gi.AsSpan(lo * inP, (hi - lo) * inP));
            });
            return [dense];
        }
        var dx = Tensor.Allocate((int[])_inShape.Clone(), g.DType, true);
        if (g.DType == DType.Float32)
            MaxPool2d.Backward<float>(g.Span<float>(), _indices!, _planes, _g, dx.Span<float>());
        else
            MaxPool2d.Backward<double>(g.Span<double>(), _indices!, _planes, _g, dx.Span<double>());
        return [dx];
    }

    protected override void ReleaseState() => _indices = null;
}
