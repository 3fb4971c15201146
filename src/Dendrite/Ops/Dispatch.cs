using System.Numerics;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>Shared forward plumbing for ops: dtype checks and promotion, dense inputs, broadcasting.</summary>
internal static class Dispatch
{
    /// <summary>Applies a unary kernel to a floating-point tensor, giving a new dense tensor.</summary>
    public static Tensor Unary<TK>(Tensor x, string op) where TK : IUnaryOp
    {
        x.CheckFloating(op);
        var src = x.IsContiguous ? x : x.CopyDense();
        var y = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            ParallelElementwise.Unary<TK, float>(src.Array<float>(), src.Offset, y.Array<float>(), y.Offset, y.Numel);
        else
            ParallelElementwise.Unary<TK, double>(src.Array<double>(), src.Offset, y.Array<double>(), y.Offset, y.Numel);
        return y;
    }

    /// <summary>The floating dtype two operands compute in; integer/bool operands are promoted.</summary>
    public static DType FloatDType(Tensor a, Tensor b, string op)
    {
        var dt = DTypeExtensions.Promote(a.DType, b.DType);
        if (!dt.IsFloatingPoint())
            throw new ArgumentException($"{op}: arithmetic needs a floating-point operand, got {a.DType} and {b.DType}; convert with To(DType.Float32).");
        return dt;
    }

    /// <summary>Applies a broadcasting binary kernel, giving a new dense tensor of the broadcast shape.</summary>
    public static Tensor Binary<TK>(Tensor a, Tensor b, string op) where TK : IBinaryOp
    {
        var dt = FloatDType(a, b, op);
        if (a.DType != dt)
            a = a.Detach().To(dt);
        if (b.DType != dt)
            b = b.Detach().To(dt);
        var shape = ShapeUtil.Broadcast(a.ShapeArray, b.ShapeArray, op);
        var y = ReferenceEquals(shape, a.ShapeArray) ? Tensor.AllocateLike(a, dt, false) : Tensor.Allocate(shape, dt, false);
        if (dt == DType.Float32)
            RunBinary<TK, float>(a, b, y);
        else
            RunBinary<TK, double>(a, b, y);
        return y;
    }

    private static void RunBinary<TK, T>(Tensor a, Tensor b, Tensor y) where TK : IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = y.ShapeArray;
        if (a.IsContiguous && b.IsContiguous)
        {
            if (a.Numel == y.Numel && b.Numel == y.Numel)
            {
                ParallelElementwise.Binary<TK, T>(a.Array<T>(), a.Offset, b.Array<T>(), b.Offset, y.Array<T>(), y.Offset, y.Numel);
                return;
            }
            if (b.Numel == 1 && a.Numel == y.Numel)
            {
                TK.RunScalarB(a.Span<T>(), b.Array<T>()[b.Offset], y.Span<T>());
                return;
            }
            if (a.Numel == 1 && b.Numel == y.Numel)
            {
                TK.RunScalarA(a.Array<T>()[a.Offset], b.Span<T>(), y.Span<T>());
                return;
            }
        }
        BinaryKernel.Run<TK, T>(shape,
            a.Array<T>(), a.Offset, ShapeUtil.BroadcastStrides(a.ShapeArray, a.StrideArray, shape),
            b.Array<T>(), b.Offset, ShapeUtil.BroadcastStrides(b.ShapeArray, b.StrideArray, shape),
            y.Span<T>());
    }

    /// <summary>A 0-d tensor holding <paramref name="value"/> in <paramref name="like"/>'s dtype (floating types only).</summary>
    public static Tensor ScalarLike(Tensor like, double value)
    {
        var dt = like.DType.IsFloatingPoint() ? like.DType : DType.Float32;
        return Tensor.Scalar(value, dt);
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (undoes broadcasting for binary-op backward).</summary>
    public static Tensor SumTo(Tensor grad, int[] shape)
    {
        var gs = grad.ShapeArray;
        if (ShapeUtil.SameShape(gs, shape))
            return grad;
        int lead = gs.Length - shape.Length;
        var dims = new List<int>();
        for (int i = 0; i < gs.Length; i++)
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1))
                dims.Add(i);
        var summed = dims.Count == 0 ? grad : SumOp.Apply(grad, dims.ToArray(), keepDim: true);
        return summed.Reshape(shape);
    }
}

/// <summary>Per-element maps for ops whose kernels take parameters or two same-shaped operands.</summary>
internal static class ElementMap
{
    /// <summary>y = f(x) elementwise, into a new dense tensor.</summary>
    public static Tensor Map<TF>(Tensor x, TF f, string op) where TF : struct, IElementFunc
    {
        x.CheckFloating(op);
        var src = x.IsContiguous ? x : x.CopyDense();
        var y = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            ElementLoops.Map(f, src.Span<float>(), y.Span<float>());
        else
            ElementLoops.Map(f, src.Span<double>(), y.Span<double>());
        return y;
    }

    /// <summary>y = f(a, b) elementwise with a SIMD kernel, for same-shaped a and b (b converted to a's dtype).</summary>
    public static Tensor Map2<TF>(Tensor a, Tensor b, string op) where TF : IVectorFunc2
    {
        var (sa, sb, y) = DenseSameShape(a, b, op);
        if (a.DType == DType.Float32)
            ParallelElementwise.Map2<TF, float>(sa.Array<float>(), sa.Offset, sb.Array<float>(), sb.Offset, y.Array<float>(), y.Offset, y.Numel);
        else
            ParallelElementwise.Map2<TF, double>(sa.Array<double>(), sa.Offset, sb.Array<double>(), sb.Offset, y.Array<double>(), y.Offset, y.Numel);
        return y;
    }

    /// <summary>y = f(a, b) elementwise for same-shaped a and b (b converted to a's dtype).</summary>
    public static Tensor Map2<TF>(Tensor a, Tensor b, TF f, string op) where TF : struct, IElementFunc2
    {
        var (sa, sb, y) = DenseSameShape(a, b, op);
        if (a.DType == DType.Float32)
            ElementLoops.Map2(f, sa.Span<float>(), sb.Span<float>(), y.Span<float>());
        else
            ElementLoops.Map2(f, sa.Span<double>(), sb.Span<double>(), y.Span<double>());
        return y;
    }

    // Same-shaped floating operands as dense tensors in a's dtype, and a dense output of that shape.
    private static (Tensor A, Tensor B, Tensor Y) DenseSameShape(Tensor a, Tensor b, string op)
    {
        if (!ShapeUtil.SameShape(a.ShapeArray, b.ShapeArray))
            throw new ArgumentException($"{op}: operands must have the same shape, got {ShapeUtil.Format(a.ShapeArray)} and {ShapeUtil.Format(b.ShapeArray)}.");
        a.CheckFloating(op);
        var sa = a.IsContiguous ? a : a.CopyDense();
        var sb = b.DType != a.DType ? b.To(a.DType) : b;
        if (!sb.IsContiguous)
            sb = sb.CopyDense();
        return (sa, sb, Tensor.AllocateLike(sa, a.DType, false));
    }
}
