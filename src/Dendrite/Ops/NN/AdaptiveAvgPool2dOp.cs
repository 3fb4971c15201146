using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Adaptive 2-D average pooling to a fixed output size: output row i averages input rows
/// [floor(i·H/OutH), ceil((i+1)·H/OutH)), likewise for columns (PyTorch's windows, which may overlap).
/// </summary>
internal sealed class AdaptiveAvgPool2dOp : GradFn
{
    private int[] _inShape = [];
    private int _outH, _outW;

    public override string Name => "AdaptiveAvgPool2DBackward";

    public static Tensor Apply(Tensor x, int outH, int outW)
    {
        const string op = "AdaptiveAvgPool2d";
        PoolShape.CheckInput(x, op);
        if (outH < 1 || outW < 1)
            throw new ArgumentException($"{op}: output size must be at least 1x1, got {outH}x{outW}.");
        int h = x.ShapeArray[^2], w = x.ShapeArray[^1];
        if (h < 1 || w < 1)
            throw new ArgumentException($"{op}: input plane must be non-empty, got shape {ShapeUtil.Format(x.ShapeArray)}.");
        var (planes, outShape) = PoolShape.Of(x, op, outH, outW);
        var xc = x.Dense();
        var y = Tensor.Allocate(outShape, x.DType, false, x.Backend);
        x.Backend.AdaptiveAvgPool2d(xc.Raw, planes, h, w, outH, outW, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("AdaptiveAvgPool2d", y, x).With("outputSize", new[] { outH, outW });
        if (!ShouldRecord(x))
            return y;
        var fn = new AdaptiveAvgPool2dOp { _inShape = x.ShapeArray, _outH = outH, _outW = outW };
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.Dense();
        int planes = _inShape.Length == 4 ? _inShape[0] * _inShape[1] : _inShape[0];
        int h = _inShape[^2], w = _inShape[^1];
        // The kernel overwrites every element.
        var dx = Tensor.Allocate((int[])_inShape.Clone(), g.DType, false, g.Backend);
        g.Backend.AdaptiveAvgPool2dBackward(g.Raw, planes, h, w, _outH, _outW, dx.Raw);
        return [dx];
    }
}
