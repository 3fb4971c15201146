using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Broadcasting comparisons giving Bool tensors. Operands are promoted to a common dtype first (Bool compares as
/// Int64), as in PyTorch; comparisons are not differentiable, so nothing is recorded.
/// </summary>
internal static class Compare
{
    public static Tensor Apply(Tensor a, Tensor b, CompareKind kind, string op)
    {
        var (da, db, backend) = Dispatch.SameDevice(op, a, b);
        var dt = DTypeExtensions.Promote(da.DType, db.DType);
        if (dt == DType.Bool)
            dt = DType.Int64;
        if (da.DType != dt)
            da = ConvertOp.Apply(da.Detach(), dt);
        if (db.DType != dt)
            db = ConvertOp.Apply(db.Detach(), dt);
        var shape = ShapeUtil.Broadcast(da.ShapeArray, db.ShapeArray, op);
        var y = Tensor.Allocate(ReferenceEquals(shape, da.ShapeArray) ? (int[])shape.Clone() : shape, DType.Bool, false, backend);
        backend.Compare(kind, da.Raw, db.Raw, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record(kind.ToString(), y, a, b);
        return y;
    }

    /// <summary>Compares with a scalar: in the tensor's dtype when floating, in Int64 for an integral scalar, else in Float64.</summary>
    public static Tensor Apply(Tensor a, double scalar, CompareKind kind, string op)
    {
        DType dt = a.DType.IsFloatingPoint() ? a.DType : scalar == Math.Floor(scalar) && Math.Abs(scalar) < 9.2e18 ? DType.Int64 : DType.Float64;
        return Apply(a, Tensor.Scalar(scalar, dt, a.Backend), kind, op);
    }
}
