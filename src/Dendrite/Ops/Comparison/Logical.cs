using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Logical ops on Bool tensors (other dtypes count nonzero as true); not differentiable.</summary>
internal static class Logical
{
    public static Tensor AsBool(Tensor x) => x.DType == DType.Bool ? x : Compare.Apply(x, 0.0, CompareKind.Ne, "Logical");

    // ¬a = (a == false)
    public static Tensor Not(Tensor x) => Compare.Apply(AsBool(x), Tensor.Scalar(0, DType.Bool, x.Backend), CompareKind.Eq, "LogicalNot");

    public static Tensor And(Tensor a, Tensor b, bool or, string op)
    {
        var (la, lb) = (AsBool(a), AsBool(b));
        var (ba, bb, backend) = Dispatch.SameDevice(op, la, lb);
        var shape = ShapeUtil.Broadcast(ba.ShapeArray, bb.ShapeArray, op);
        var y = Tensor.Allocate((int[])shape.Clone(), DType.Bool, false, backend);
        // a ∧ b = a ? b : false;  a ∨ b = a ? true : b
        if (or)
            backend.Where(ba.Raw, Tensor.Scalar(1, DType.Bool, backend).Raw, bb.Raw, y.Raw);
        else
            backend.Where(ba.Raw, bb.Raw, Tensor.Scalar(0, DType.Bool, backend).Raw, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record(or ? "LogicalOr" : "LogicalAnd", y, la, lb);
        return y;
    }

    /// <summary>True when any (or, with <paramref name="all"/>, every) element is true; a 0-d Bool tensor on x's device.</summary>
    public static Tensor Reduce(Tensor x, bool all)
    {
        // any = Σ a > 0;  all = Σ ¬a == 0
        var counted = (all ? Not(x) : AsBool(x)).To(DType.Int64).Sum();
        return all ? counted.Eq(0) : counted.Gt(0);
    }
}
