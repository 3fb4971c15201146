using Dendrite.Autograd;
using Dendrite.Tracing;

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
        var y = Tensor.Allocate(outShape, x.DType, false, x.Backend);
        x.Backend.AvgPool2d(xc.Raw, planes, g, y.Raw);
        // zero padding counts in the divisor
        if (OpTrace.IsActive)
            OpTrace.Record("AvgPool2d", y, x).With("kernel", new[] { kernel.H, kernel.W }).With("stride", new[] { stride.H, stride.W })
                .With("padding", new[] { padding.H, padding.W });
        if (!ShouldRecord(x))
            return y;
        var fn = new AvgPool2dOp { _g = g, _planes = planes, _inShape = x.ShapeArray };
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.Dense();
        // The kernel overwrites every element.
        var dx = Tensor.Allocate((int[])_inShape.Clone(), g.DType, false, g.Backend);
        g.Backend.AvgPool2dBackward(g.Raw, _planes, _g, dx.Raw);
        return [dx];
    }
}
