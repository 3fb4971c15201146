using System.Numerics;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>
/// Broadcasting comparisons giving Bool tensors. Operands are promoted to a common dtype first (Bool compares as
/// Int64), as in PyTorch; comparisons are not differentiable, so nothing is recorded.
/// </summary>
internal static class Compare
{
    public static Tensor Apply<TOp>(Tensor a, Tensor b, string op) where TOp : ICompareOp
    {
        var dt = DTypeExtensions.Promote(a.DType, b.DType);
        if (dt == DType.Bool)
            dt = DType.Int64;
        if (a.DType != dt)
            a = ConvertOp.Apply(a.Detach(), dt);
        if (b.DType != dt)
            b = ConvertOp.Apply(b.Detach(), dt);
        var shape = ShapeUtil.Broadcast(a.ShapeArray, b.ShapeArray, op);
        var y = Tensor.Allocate(ReferenceEquals(shape, a.ShapeArray) ? (int[])shape.Clone() : shape, DType.Bool, false);
        switch (dt)
        {
            case DType.Float32: Run<TOp, float>(a, b, y); break;
            case DType.Float64: Run<TOp, double>(a, b, y); break;
            default: Run<TOp, long>(a, b, y); break;
        }
        return y;
    }

    /// <summary>Compares with a scalar: in the tensor's dtype when floating, in Int64 for an integral scalar, else in Float64.</summary>
    public static Tensor Apply<TOp>(Tensor a, double scalar, string op) where TOp : ICompareOp
    {
        DType dt = a.DType.IsFloatingPoint() ? a.DType : scalar == Math.Floor(scalar) && Math.Abs(scalar) < 9.2e18 ? DType.Int64 : DType.Float64;
        return Apply<TOp>(a, Tensor.Scalar(scalar, dt), op);
    }

    private static void Run<TOp, T>(Tensor a, Tensor b, Tensor y) where TOp : ICompareOp where T : unmanaged, INumber<T>
    {
        var shape = y.ShapeArray;
        var dst = y.Span<bool>();
        if (a.IsContiguous && b.IsContiguous && a.Numel == y.Numel && (b.Numel == y.Numel || b.Numel == 1))
        {
            var sa = a.Span<T>();
            if (b.Numel == 1)
            {
                T bv = b.Array<T>()[b.Offset];
                for (int i = 0; i < dst.Length; i++)
                    dst[i] = TOp.Test(sa[i], bv);
            }
            else
            {
                var sb = b.Span<T>();
                for (int i = 0; i < dst.Length; i++)
                    dst[i] = TOp.Test(sa[i], sb[i]);
            }
            return;
        }
        CompareKernel.Compare<TOp, T>(shape,
            a.Array<T>(), a.Offset, ShapeUtil.BroadcastStrides(a.ShapeArray, a.StrideArray, shape),
            b.Array<T>(), b.Offset, ShapeUtil.BroadcastStrides(b.ShapeArray, b.StrideArray, shape),
            dst);
    }
}
