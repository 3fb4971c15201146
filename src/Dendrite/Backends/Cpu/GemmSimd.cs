using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Generic-over-element helpers for the GEMM kernels: the JIT specialises each for float and
/// double (the <c>typeof(T)</c> tests are constants) and inlines them to single instructions.
/// </summary>
internal static class GemmSimd
{
    /// <summary>a·b + c, fused (one rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>a·b + c, fused (one rounding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>a·b + c; fused where the hardware has FMA, else a multiply and an add.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MulAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float))
            return Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>Writes alpha·acc (+ beta·C) to C: mode 0 ignores C (beta = 0, so NaN in C cannot
    /// leak), mode 1 adds C (beta = 1), mode 2 scales C by beta.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<T>(T* c, Vector512<T> acc, Vector512<T> alpha, Vector512<T> beta, int mode)
        where T : unmanaged
    {
        Vector512<T> r = acc * alpha;
        if (mode == 1)
            r += Vector512.Load(c);
        else if (mode == 2)
            r = Fma(beta, Vector512.Load(c), r);
        Vector512.Store(r, c);
    }

    /// <inheritdoc cref="Store{T}(T*, Vector512{T}, Vector512{T}, Vector512{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Store<T>(T* c, Vector256<T> acc, Vector256<T> alpha, Vector256<T> beta, int mode)
        where T : unmanaged
    {
        Vector256<T> r = acc * alpha;
        if (mode == 1)
            r += Vector256.Load(c);
        else if (mode == 2)
            r = Fma(beta, Vector256.Load(c), r);
        Vector256.Store(r, c);
    }

    /// <summary>The store mode for <see cref="Store{T}(T*, Vector512{T}, Vector512{T}, Vector512{T}, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Mode<T>(T beta) where T : unmanaged, System.Numerics.INumber<T>
        => beta == T.Zero ? 0 : beta == T.One ? 1 : 2;

    /// <summary>A mask selecting the first <paramref name="n"/> lanes (0 ≤ n ≤ Count).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FirstLanes<T>(int n)
    {
        if (typeof(T) == typeof(float))
            return Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n)).As<int, T>();
        return Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)n)).As<long, T>();
    }

    /// <summary>AVX-512 masked load: lanes outside <paramref name="mask"/> read as zero and are not
    /// touched in memory (no fault past the end of a row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<T> MaskLoad<T>(T* c, Vector512<T> mask) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Avx512F.MaskLoad((float*)c, mask.AsSingle(), Vector512<float>.Zero).As<float, T>();
        return Avx512F.MaskLoad((double*)c, mask.AsDouble(), Vector512<double>.Zero).As<double, T>();
    }

    /// <summary>AVX-512 masked store: only the lanes in <paramref name="mask"/> are written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void MaskStore<T>(T* c, Vector512<T> mask, Vector512<T> value) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Avx512F.MaskStore((float*)c, mask.AsSingle(), value.AsSingle());
        else
            Avx512F.MaskStore((double*)c, mask.AsDouble(), value.AsDouble());
    }
}
