using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>Dtype conversions between dense host buffers.</summary>
internal static class ConvertKernel
{
    /// <summary>Converts dense <paramref name="src"/> into dense <paramref name="dst"/> of another dtype.</summary>
    public static void Run(StorageView src, StorageView dst)
    {
        switch (src.DType, dst.DType)
        {
            case (DType.Float32, DType.Float64): TensorPrimitives.ConvertTruncating<float, double>(src.Span<float>(), dst.Span<double>()); break;
            case (DType.Float64, DType.Float32): TensorPrimitives.ConvertTruncating<double, float>(src.Span<double>(), dst.Span<float>()); break;
            // Masks (comparisons) turned into numbers, as in accuracy = (p > 0.5).float().mean(): bools are stored as 0/1 bytes.
            case (DType.Bool, DType.Float32): FromBytes(Bytes(src), dst.Span<float>()); break;
            case (DType.Bool, DType.Float64): FromBytes(Bytes(src), dst.Span<double>()); break;
            case (DType.Bool, DType.Int64): FromBytes(Bytes(src), dst.Span<long>()); break;
            case (DType.Int64, DType.Float32): ToFloating<long, float>(src.Span<long>(), dst.Span<float>()); break;
            case (DType.Int64, DType.Float64): ToFloating<long, double>(src.Span<long>(), dst.Span<double>()); break;
            case (DType.Float32, DType.Bool): NonZero<float>(src.Span<float>(), dst.Span<bool>()); break;
            case (DType.Float64, DType.Bool): NonZero<double>(src.Span<double>(), dst.Span<bool>()); break;
            case (DType.Int64, DType.Bool): NonZero<long>(src.Span<long>(), dst.Span<bool>()); break;
            // Float -> integer truncates toward zero through double, exact for |v| < 2^53.
            case (DType.Float32, DType.Int64): ToInt64<float>(src.Span<float>(), dst.Span<long>()); break;
            case (DType.Float64, DType.Int64): ToInt64<double>(src.Span<double>(), dst.Span<long>()); break;
            default:
                if (src.DType != dst.DType)
                    throw new ArgumentException($"internal: no conversion from {src.DType} to {dst.DType}.");
                CpuBackend.Instance.Copy(src, dst);
                break;
        }
    }

    private static ReadOnlySpan<byte> Bytes(StorageView t) => MemoryMarshal.Cast<bool, byte>(t.Span<bool>());

    // Masks to numbers: float by 16-lane widening; other types by a plain loop when small (a batch's accuracy), which
    // ReadyToRun images carry precompiled, and by the library's vectorized widening when large.
    private static void FromBytes<T>(ReadOnlySpan<byte> x, Span<T> y) where T : unmanaged, INumberBase<T>
    {
        int i = 0;
        if (typeof(T) == typeof(float) && Avx512F.IsSupported)
            i = WidenToFloat(x, MemoryMarshal.Cast<T, float>(y));
        else if (x.Length >= 4096)
        {
            TensorPrimitives.ConvertTruncating(x, y);
            return;
        }
        for (; i < x.Length; i++)
            y[i] = x[i] != 0 ? T.One : T.Zero;
    }

    // 0/1 bytes to 0f/1f, 16 at a time (zero-extend to int32, convert); returns how many were done.
    private static unsafe int WidenToFloat(ReadOnlySpan<byte> x, Span<float> y)
    {
        int n = x.Length & ~15;
        fixed (byte* px = x)
        fixed (float* py = y)
            for (int i = 0; i < n; i += 16)
                Vector512.Store(Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(px + i))), py + i);
        return n;
    }

    private static void ToFloating<TFrom, TTo>(ReadOnlySpan<TFrom> x, Span<TTo> y)
        where TFrom : INumberBase<TFrom> where TTo : INumberBase<TTo>
    {
        for (int i = 0; i < x.Length; i++)
            y[i] = TTo.CreateTruncating(x[i]);
    }

    private static void NonZero<T>(ReadOnlySpan<T> x, Span<bool> y) where T : INumberBase<T>
    {
        for (int i = 0; i < x.Length; i++)
            y[i] = !T.IsZero(x[i]);
    }

    private static void ToInt64<T>(ReadOnlySpan<T> x, Span<long> y) where T : INumberBase<T>
    {
        for (int i = 0; i < x.Length; i++)
            y[i] = (long)double.CreateTruncating(x[i]);
    }
}
