using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>An elementwise unary function over dense spans.</summary>
internal interface IUnaryOp
{
    static abstract void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}

internal readonly struct NegK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Negate(x, y);
}

internal readonly struct ExpK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
}

internal readonly struct LogK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
}

internal readonly struct SqrtK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
}

internal readonly struct AbsK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Abs(x, y);
}

internal readonly struct SquareK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Multiply(x, x, y);
}

internal readonly struct SigmoidK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated)
            VectorExp.Sigmoid(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else
            TensorPrimitives.Sigmoid(x, y);
    }
}

internal readonly struct TanhK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
}

internal readonly struct ReluK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
            Relu(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
        else
            TensorPrimitives.Max(x, T.Zero, y);
    }

    // max(x, 0) with PyTorch's special cases: relu(−0) = +0 and relu(NaN) = NaN. The x86 max returns its second
    // operand when the two compare equal or either is NaN, so max(x, +0) gives +0 for ±0 and a blend restores NaN.
    private static unsafe void Relu(ReadOnlySpan<float> x, Span<float> y)
    {
        fixed (float* px = x, py = y)
        {
            int n = x.Length, i = 0;
            for (; i + 16 <= n; i += 16)
            {
                var v = Vector512.Load(px + i);
                var r = Avx512F.Max(v, Vector512<float>.Zero);
                Vector512.Store(Vector512.ConditionalSelect(Vector512.Equals(v, v), r, v), py + i);
            }
            for (; i < n; i++)
            {
                float v = px[i];
                py[i] = v > 0f || float.IsNaN(v) ? v : 0f;
            }
        }
    }
}

/// <summary>Exact GELU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)).</summary>
internal readonly struct GeluK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = double.CreateTruncating(x[i]);
            y[i] = T.CreateTruncating(0.5 * v * (1.0 + SpecialFunctions.Erf(v * 0.70710678118654752440)));
        }
    }
}

/// <summary>Softplus with beta 1 and threshold 20 (linear above it), as PyTorch.</summary>
internal readonly struct SoftplusK : IUnaryOp
{
    public static void Run<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T threshold = T.CreateTruncating(20);
        for (int i = 0; i < x.Length; i++)
            y[i] = x[i] > threshold ? x[i] : T.LogP1(T.Exp(x[i]));
    }
}
