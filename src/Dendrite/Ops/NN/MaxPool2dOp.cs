using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// 2-D max pooling (padding acts as −∞, floor output size); the backward routes each output gradient to its
/// window's arg-max, which the forward kernel leaves in the backend's memory (<see cref="KernelState"/>).
/// </summary>
internal sealed class MaxPool2dOp : GradFn
{
    private Pool2dGeometry _g;
    private int _planes;
    private int[] _inShape = [];
    private KernelState? _indices;

    public override string Name => "MaxPool2DWithIndicesBackward";

    public static Tensor Apply(Tensor x, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation)
    {
        const string op = "MaxPool2d";
        PoolShape.CheckInput(x, op);
        var g = PoolShape.Geometry(x, op, kernel, stride, padding, dilation);
        var (planes, outShape) = PoolShape.Of(x, op, g.OutH, g.OutW);
        var xc = x.Dense();
        var y = Tensor.Allocate(outShape, x.DType, false, x.Backend);
        bool record = ShouldRecord(x);
        var indices = x.Backend.MaxPool2d(xc.Raw, planes, g, y.Raw, keepState: record);
        if (OpTrace.IsActive)
            OpTrace.Record("MaxPool2d", y, x).With("kernel", new[] { kernel.H, kernel.W }).With("stride", new[] { stride.H, stride.W })
                .With("padding", new[] { padding.H, padding.W }).With("dilation", new[] { dilation.H, dilation.W });
        if (!record)
            return y;
        var fn = new MaxPool2dOp { _g = g, _planes = planes, _inShape = x.ShapeArray, _indices = indices };
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var g = gradOutput.Dense();
        // The kernel overwrites every element.
        var dx = Tensor.Allocate((int[])_inShape.Clone(), g.DType, false, g.Backend);
        g.Backend.MaxPool2dBackward(g.Raw, _indices!, _planes, _g, dx.Raw);
        return [dx];
    }

    protected override void ReleaseState()
    {
        _indices?.Dispose();
        _indices = null;
    }
}
