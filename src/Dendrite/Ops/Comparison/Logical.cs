namespace Dendrite.Ops;

/// <summary>Logical ops on Bool tensors (other dtypes count nonzero as true); not differentiable.</summary>
internal static class Logical
{
    public static Tensor AsBool(Tensor x) => x.DType == DType.Bool ? x : Compare.Apply<Backends.Cpu.NeK>(x, 0.0, "Logical");

    public static Tensor Not(Tensor x)
    {
        var b = AsBool(x);
        var src = b.IsContiguous ? b : b.CopyDense();
        var y = Tensor.AllocateLike(x, DType.Bool, false);
        var s = src.Span<bool>();
        var d = y.Span<bool>();
        for (int i = 0; i < d.Length; i++)
            d[i] = !s[i];
        return y;
    }

    public static Tensor And(Tensor a, Tensor b, bool or, string op)
    {
        var ba = AsBool(a);
        var bb = AsBool(b);
        var shape = ShapeUtil.Broadcast(ba.ShapeArray, bb.ShapeArray, op);
        var y = Tensor.Allocate((int[])shape.Clone(), DType.Bool, false);
        // a ∧ b = a ? b : false;  a ∨ b = a ? true : b
        if (or)
            WhereOp.Select(ba, Tensor.Scalar(1, DType.Bool), bb, y);
        else
            WhereOp.Select(ba, bb, Tensor.Scalar(0, DType.Bool), y);
        return y;
    }

    /// <summary>True when any (or, with <paramref name="all"/>, every) element is true; a 0-d Bool tensor.</summary>
    public static Tensor Reduce(Tensor x, bool all)
    {
        var b = AsBool(x);
        var src = b.IsContiguous ? b : b.CopyDense();
        var s = src.Span<bool>();
        bool result = all ? !s.Contains(false) : s.Contains(true);
        return Tensor.Scalar(result ? 1 : 0, DType.Bool);
    }
}
