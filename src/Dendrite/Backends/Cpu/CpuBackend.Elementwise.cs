using System.Numerics;

namespace Dendrite.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Unary(UnaryOp op, StorageView x, StorageView y)
    {
        if (y.DType == DType.Float32)
            Unary<float>(op, x, y);
        else
            Unary<double>(op, x, y);
    }

    private static void Unary<T>(UnaryOp op, StorageView x, StorageView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] xa = x.Array<T>(), ya = y.Array<T>();
        int xo = x.Offset, yo = y.Offset, n = y.Numel;
        switch (op.Kind)
        {
            case UnaryKind.Neg: ParallelElementwise.Unary<NegK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Abs: ParallelElementwise.Unary<AbsK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Exp: ParallelElementwise.Unary<ExpK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Log: ParallelElementwise.Unary<LogK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Sqrt: ParallelElementwise.Unary<SqrtK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Square: ParallelElementwise.Unary<SquareK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Relu: ParallelElementwise.Unary<ReluK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Sigmoid: ParallelElementwise.Unary<SigmoidK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Tanh: ParallelElementwise.Unary<TanhK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Gelu: ParallelElementwise.Unary<GeluK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Softplus: ParallelElementwise.Unary<SoftplusK, T>(xa, xo, ya, yo, n); break;
            case UnaryKind.Elu: ElementLoops.Map(new EluFwd(op.A), x.Span<T>(), y.Span<T>()); break;
            case UnaryKind.LeakyRelu: ElementLoops.Map(new LeakyReluFwd(op.A), x.Span<T>(), y.Span<T>()); break;
            case UnaryKind.Clamp: ElementLoops.Map(new ClampFwd(op.A, op.B), x.Span<T>(), y.Span<T>()); break;
            case UnaryKind.Pow: ElementLoops.Map(new PowFwd(op.A), x.Span<T>(), y.Span<T>()); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "internal: unknown unary op");
        }
    }

    public void UnaryBackward(UnaryOp op, StorageView g, StorageView saved, StorageView dx)
    {
        if (dx.DType == DType.Float32)
            UnaryBackward<float>(op, g, saved, dx);
        else
            UnaryBackward<double>(op, g, saved, dx);
    }

    private static void UnaryBackward<T>(UnaryOp op, StorageView g, StorageView s, StorageView dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op.Kind)
        {
            case UnaryKind.Sigmoid: ParallelElementwise.Map2<SigmoidGrad, T>(g.Array<T>(), g.Offset, s.Array<T>(), s.Offset, dx.Array<T>(), dx.Offset, dx.Numel); break;
            case UnaryKind.Tanh: ParallelElementwise.Map2<TanhGrad, T>(g.Array<T>(), g.Offset, s.Array<T>(), s.Offset, dx.Array<T>(), dx.Offset, dx.Numel); break;
            case UnaryKind.Relu: ParallelElementwise.Map2<ReluGrad, T>(g.Array<T>(), g.Offset, s.Array<T>(), s.Offset, dx.Array<T>(), dx.Offset, dx.Numel); break;
            case UnaryKind.Abs: ElementLoops.Map2(default(SignGrad), g.Span<T>(), s.Span<T>(), dx.Span<T>()); break;
            case UnaryKind.Gelu: ElementLoops.Map2(default(GeluGrad), g.Span<T>(), s.Span<T>(), dx.Span<T>()); break;
            case UnaryKind.Softplus: ElementLoops.Map2(default(SoftplusGrad), g.Span<T>(), s.Span<T>(), dx.Span<T>()); break;
            case UnaryKind.Elu: ElementLoops.Map2(new EluBwd(op.A), g.Span<T>(), s.Span<T>(), dx.Span<T>()); break;
            case UnaryKind.LeakyRelu: ElementLoops.Map2(new LeakyReluBwd(op.A), g.Span<T>(), s.Span<T>(), dx.Span<T>()); break;
            case UnaryKind.Clamp: ElementLoops.Map2(new ClampBwd(op.A, op.B), g.Span<T>(), s.Span<T>(), dx.Span<T>()); break;
            case UnaryKind.Pow: ElementLoops.Map2(new PowBwd(op.A), g.Span<T>(), s.Span<T>(), dx.Span<T>()); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op.Kind, "internal: no fused backward for this unary op");
        }
    }

    public void Binary(BinaryKind op, StorageView a, StorageView b, StorageView y)
    {
        if (y.DType == DType.Float32)
            Binary<float>(op, a, b, y);
        else
            Binary<double>(op, a, b, y);
    }

    private static void Binary<T>(BinaryKind op, StorageView a, StorageView b, StorageView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryKind.Add: Binary<AddOp, T>(a, b, y); break;
            case BinaryKind.Sub: Binary<SubOp, T>(a, b, y); break;
            case BinaryKind.Mul: Binary<MulOp, T>(a, b, y); break;
            case BinaryKind.Div: Binary<DivOp, T>(a, b, y); break;
            case BinaryKind.Maximum: Binary<MaxOp, T>(a, b, y); break;
            case BinaryKind.Minimum: Binary<MinOp, T>(a, b, y); break;
            case BinaryKind.Pow: Binary<PowOp, T>(a, b, y); break;
            case BinaryKind.WinWeight: Binary<WinWeightK, T>(a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "internal: unknown binary op");
        }
    }

    // y (dense) = a ∘ b: whole dense operands, a scalar operand, or the general broadcasting walk.
    private static void Binary<TK, T>(StorageView a, StorageView b, StorageView y) where TK : IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = y.Shape;
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
            a.Array<T>(), a.Offset, ShapeUtil.BroadcastStrides(a.Shape, a.Strides, shape),
            b.Array<T>(), b.Offset, ShapeUtil.BroadcastStrides(b.Shape, b.Strides, shape),
            y.Span<T>());
    }

    public void Compare(CompareKind op, StorageView a, StorageView b, StorageView y)
    {
        switch (a.DType)
        {
            case DType.Float32: Compare<float>(op, a, b, y); break;
            case DType.Float64: Compare<double>(op, a, b, y); break;
            default: Compare<long>(op, a, b, y); break;
        }
    }

    private static void Compare<T>(CompareKind op, StorageView a, StorageView b, StorageView y) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case CompareKind.Eq: Compare<EqK, T>(a, b, y); break;
            case CompareKind.Ne: Compare<NeK, T>(a, b, y); break;
            case CompareKind.Gt: Compare<GtK, T>(a, b, y); break;
            case CompareKind.Lt: Compare<LtK, T>(a, b, y); break;
            case CompareKind.Ge: Compare<GeK, T>(a, b, y); break;
            default: Compare<LeK, T>(a, b, y); break;
        }
    }

    private static void Compare<TOp, T>(StorageView a, StorageView b, StorageView y) where TOp : ICompareOp where T : unmanaged, INumber<T>
    {
        var shape = y.Shape;
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
            a.Array<T>(), a.Offset, ShapeUtil.BroadcastStrides(a.Shape, a.Strides, shape),
            b.Array<T>(), b.Offset, ShapeUtil.BroadcastStrides(b.Shape, b.Strides, shape),
            dst);
    }

    public void Where(StorageView condition, StorageView a, StorageView b, StorageView y)
    {
        switch (y.DType)
        {
            case DType.Float32: Where<float>(condition, a, b, y); break;
            case DType.Float64: Where<double>(condition, a, b, y); break;
            case DType.Int64: Where<long>(condition, a, b, y); break;
            default: Where<bool>(condition, a, b, y); break;
        }
    }

    private static void Where<T>(StorageView c, StorageView x, StorageView y, StorageView dst) where T : unmanaged
    {
        var shape = dst.Shape;
        var d = dst.Span<T>();
        // Fast path: dense same-shape condition and x, scalar or dense y (masked fill, ReLU-like masks).
        if (c.IsContiguous && x.IsContiguous && c.Numel == d.Length && x.Numel == d.Length && y.IsContiguous && (y.Numel == 1 || y.Numel == d.Length))
        {
            var cs = c.Span<bool>();
            var xs = x.Span<T>();
            if (y.Numel == 1 && d.Length != 1)
            {
                T yv = y.Array<T>()[y.Offset];
                for (int i = 0; i < d.Length; i++)
                    d[i] = cs[i] ? xs[i] : yv;
            }
            else
            {
                var ys = y.Span<T>();
                for (int i = 0; i < d.Length; i++)
                    d[i] = cs[i] ? xs[i] : ys[i];
            }
            return;
        }
        CompareKernel.Where(shape,
            c.Array<bool>(), c.Offset, ShapeUtil.BroadcastStrides(c.Shape, c.Strides, shape),
            x.Array<T>(), x.Offset, ShapeUtil.BroadcastStrides(x.Shape, x.Strides, shape),
            y.Array<T>(), y.Offset, ShapeUtil.BroadcastStrides(y.Shape, y.Strides, shape),
            d);
    }
}
