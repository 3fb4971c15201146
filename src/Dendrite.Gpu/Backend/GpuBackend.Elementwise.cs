using System.Numerics;
using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Elementwise;
using ILGPU;

namespace Dendrite.Gpu.Backend;

// Elementwise functions, their fused gradients, broadcasting arithmetic, comparisons and selection: one launch each.
internal sealed partial class GpuBackend
{
    public void Unary(UnaryOp op, StorageView x, StorageView y)
    {
        lock (Gate)
        {
            if (y.DType == DType.Float32)
                Unary<float, Real32>(op, Dense<float>(x), Dense<float>(y));
            else
                Unary<double, Real64>(op, Dense<double>(x), Dense<double>(y));
        }
    }

    private void Unary<T, TR>(UnaryOp op, ArrayView<T> x, ArrayView<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        switch (op.Kind)
        {
            case UnaryKind.Neg: Elementwise.Map(Gpu, x, y, new Negate<T>()); break;
            case UnaryKind.Abs: Elementwise.Map(Gpu, x, y, new UnaryAbs<T>()); break;
            case UnaryKind.Exp: Elementwise.Map(Gpu, x, y, new UnaryExp<T, TR>()); break;
            case UnaryKind.Log: Elementwise.Map(Gpu, x, y, new UnaryLog<T, TR>()); break;
            case UnaryKind.Sqrt: Elementwise.Map(Gpu, x, y, new UnarySqrt<T, TR>()); break;
            case UnaryKind.Square: Elementwise.Map(Gpu, x, y, new UnarySquare<T>()); break;
            case UnaryKind.Relu: Elementwise.Map(Gpu, x, y, new UnaryRelu<T>()); break;
            case UnaryKind.Sigmoid: Elementwise.Map(Gpu, x, y, new UnarySigmoid<T, TR>()); break;
            case UnaryKind.Tanh: Elementwise.Map(Gpu, x, y, new UnaryTanh<T, TR>()); break;
            case UnaryKind.Gelu: Elementwise.Map(Gpu, x, y, new UnaryGelu<T, TR>()); break;
            case UnaryKind.Softplus: Elementwise.Map(Gpu, x, y, new UnarySoftplus<T, TR>()); break;
            case UnaryKind.Elu: Elementwise.Map(Gpu, x, y, new UnaryElu<T, TR>(T.CreateTruncating(op.A))); break;
            case UnaryKind.LeakyRelu: Elementwise.Map(Gpu, x, y, new UnaryLeakyRelu<T>(T.CreateTruncating(op.A))); break;
            case UnaryKind.Clamp: Elementwise.Map(Gpu, x, y, new UnaryClamp<T>(T.CreateTruncating(op.A), T.CreateTruncating(op.B))); break;
            case UnaryKind.Pow:
                var mode = op.A == 2 ? PowMode.Square : op.A == 1 ? PowMode.Identity : op.A == 0.5 ? PowMode.Sqrt : PowMode.General;
                Elementwise.Map(Gpu, x, y, new UnaryPow<T, TR>(T.CreateTruncating(op.A), mode));
                break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op.Kind, $"Unary: unknown function on {Device}.");
        }
    }

    public void UnaryBackward(UnaryOp op, StorageView g, StorageView saved, StorageView dx)
    {
        lock (Gate)
        {
            if (dx.DType == DType.Float32)
                UnaryBackward<float, Real32>(op, Dense<float>(g), Dense<float>(saved), Dense<float>(dx));
            else
                UnaryBackward<double, Real64>(op, Dense<double>(g), Dense<double>(saved), Dense<double>(dx));
        }
    }

    private void UnaryBackward<T, TR>(UnaryOp op, ArrayView<T> g, ArrayView<T> s, ArrayView<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        switch (op.Kind)
        {
            case UnaryKind.Sigmoid: Elementwise.Zip(Gpu, g, s, dx, new GradSigmoid<T>()); break;
            case UnaryKind.Tanh: Elementwise.Zip(Gpu, g, s, dx, new GradTanh<T>()); break;
            case UnaryKind.Relu: Elementwise.Zip(Gpu, g, s, dx, new GradRelu<T>()); break;
            case UnaryKind.Abs: Elementwise.Zip(Gpu, g, s, dx, new GradAbs<T>()); break;
            case UnaryKind.Gelu: Elementwise.Zip(Gpu, g, s, dx, new GradGelu<T, TR>()); break;
            case UnaryKind.Softplus: Elementwise.Zip(Gpu, g, s, dx, new GradSoftplus<T, TR>()); break;
            case UnaryKind.Elu: Elementwise.Zip(Gpu, g, s, dx, new GradElu<T, TR>(T.CreateTruncating(op.A))); break;
            case UnaryKind.LeakyRelu: Elementwise.Zip(Gpu, g, s, dx, new GradLeakyRelu<T>(T.CreateTruncating(op.A))); break;
            case UnaryKind.Clamp: Elementwise.Zip(Gpu, g, s, dx, new GradClamp<T>(T.CreateTruncating(op.A), T.CreateTruncating(op.B))); break;
            case UnaryKind.Pow:
                Elementwise.Zip(Gpu, g, s, dx, new GradPow<T, TR>(T.CreateTruncating(op.A), T.CreateTruncating(op.A - 1),
                    op.A == 0 ? PowMode.Zero : op.A == 2 ? PowMode.Square : PowMode.General));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op.Kind, $"UnaryBackward: {op.Kind} has no fused backward (on {Device}).");
        }
    }

    public void Binary(BinaryKind op, StorageView a, StorageView b, StorageView y)
    {
        lock (Gate)
        {
            if (y.DType == DType.Float32)
                Binary<float, Real32>(op, a, b, y);
            else
                Binary<double, Real64>(op, a, b, y);
        }
    }

    private void Binary<T, TR>(BinaryKind op, StorageView a, StorageView b, StorageView y)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
    {
        switch (op)
        {
            case BinaryKind.Add: Broadcast<T, T, BinaryAdd<T>>(a, b, y, default); break;
            case BinaryKind.Sub: Broadcast<T, T, BinarySub<T>>(a, b, y, default); break;
            case BinaryKind.Mul: Broadcast<T, T, BinaryMul<T>>(a, b, y, default); break;
            case BinaryKind.Div: Broadcast<T, T, BinaryDiv<T>>(a, b, y, default); break;
            case BinaryKind.Maximum: Broadcast<T, T, BinaryMaximum<T>>(a, b, y, default); break;
            case BinaryKind.Minimum: Broadcast<T, T, BinaryMinimum<T>>(a, b, y, default); break;
            case BinaryKind.Pow: Broadcast<T, T, BinaryPow<T, TR>>(a, b, y, default); break;
            case BinaryKind.WinWeight: Broadcast<T, T, BinaryWinWeight<T>>(a, b, y, default); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, $"Binary: unknown function on {Device}.");
        }
    }

    public void Compare(CompareKind op, StorageView a, StorageView b, StorageView y)
    {
        lock (Gate)
        {
            switch (a.DType)
            {
                case DType.Float32: Compare<float>(op, a, b, y); break;
                case DType.Float64: Compare<double>(op, a, b, y); break;
                case DType.Int64: Compare<long>(op, a, b, y); break;
                default: throw new ArgumentException($"Compare: {a.DType} operands are not supported on {Device}.");
            }
        }
    }

    private void Compare<T>(CompareKind op, StorageView a, StorageView b, StorageView y) where T : unmanaged, INumber<T>
    {
        switch (op)
        {
            case CompareKind.Eq: Broadcast<T, byte, CompareEq<T>>(a, b, y, default); break;
            case CompareKind.Ne: Broadcast<T, byte, CompareNe<T>>(a, b, y, default); break;
            case CompareKind.Gt: Broadcast<T, byte, CompareGt<T>>(a, b, y, default); break;
            case CompareKind.Lt: Broadcast<T, byte, CompareLt<T>>(a, b, y, default); break;
            case CompareKind.Ge: Broadcast<T, byte, CompareGe<T>>(a, b, y, default); break;
            default: Broadcast<T, byte, CompareLe<T>>(a, b, y, default); break;
        }
    }

    // y (dense) = op(a, b): plain positions when both operands are dense of y's size, else through the merged
    // broadcast layout (scalars and row broadcasts become rank 1 and 2 there).
    private void Broadcast<T, TOut, TOp>(StorageView a, StorageView b, StorageView y, TOp op)
        where T : unmanaged where TOut : unmanaged where TOp : struct, IBroadcastOp<T, TOut>
    {
        int n = y.Numel;
        if (n == 0)
            return;
        var dst = Dense<TOut>(y);
        var config = Gpu.GridStride(n);
        if (a.IsContiguous && b.IsContiguous && a.Numel == n && b.Numel == n)
        {
            Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<TOut>, int, TOp>(BroadcastKernels.Dense)(
                Gpu.Stream, config, Dense<T>(a), Dense<T>(b), dst, n, op);
            return;
        }
        var layout = BroadcastLayout.Create(y.Shape, BroadcastStrides(a, y.Shape), a.Offset, BroadcastStrides(b, y.Shape), b.Offset);
        Gpu.Kernel<ArrayView<T>, ArrayView<T>, ArrayView<TOut>, BroadcastLayout, int, TOp>(BroadcastKernels.Strided)(
            Gpu.Stream, config, Whole<T>(a), Whole<T>(b), dst, layout, n, op);
    }

    public void Where(StorageView condition, StorageView a, StorageView b, StorageView y)
    {
        lock (Gate)
        {
            switch (y.DType)
            {
                case DType.Float32: Where<float>(condition, a, b, y); break;
                case DType.Float64: Where<double>(condition, a, b, y); break;
                case DType.Int64: Where<long>(condition, a, b, y); break;
                default: Where<byte>(condition, a, b, y); break;
            }
        }
    }

    private void Where<T>(StorageView condition, StorageView a, StorageView b, StorageView y) where T : unmanaged
    {
        int n = y.Numel;
        if (n == 0)
            return;
        var shape = y.Shape;
        var layout = BroadcastLayout.Create(shape, BroadcastStrides(a, shape), a.Offset, BroadcastStrides(b, shape), b.Offset,
            BroadcastStrides(condition, shape), condition.Offset);
        Gpu.Kernel<ArrayView<byte>, ArrayView<T>, ArrayView<T>, ArrayView<T>, BroadcastLayout, int>(BroadcastKernels.Where)(
            Gpu.Stream, Gpu.GridStride(n), Whole<byte>(condition), Whole<T>(a), Whole<T>(b), Dense<T>(y), layout, n);
    }

    // The view's strides over the target shape (0 on broadcast dims).
    private static int[] BroadcastStrides(StorageView v, int[] target) =>
        ShapeUtil.SameShape(v.Shape, target) ? v.Strides : ShapeUtil.BroadcastStrides(v.Shape, v.Strides, target);
}
