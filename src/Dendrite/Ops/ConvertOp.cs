using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Dtype conversion; between float types the gradient converts back.</summary>
internal sealed class ConvertOp : GradFn
{
    private DType _from;

    public override string Name => "ToCopyBackward";

    public static Tensor Apply(Tensor x, DType dtype)
    {
        var src = x.Dense();
        var y = Tensor.AllocateLike(x, dtype, false);
        x.Backend.Convert(src.Raw, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("Convert", y, x).With("dtype", dtype);
        if (ShouldRecord(x) && dtype.IsFloatingPoint())
            return Record(new ConvertOp { _from = x.DType }, y, x);
        return y;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.To(_from)];
}
