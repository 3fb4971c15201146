using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Per-row log-sum-exp and scaled softmax of float32 rows with 16-lane vectors and a masked tail, for the many short
/// rows of a classifier's logits (10 classes: one vector per row, where a library call per row would cost more than
/// the arithmetic). Callers check <see cref="IsSupported"/>.
/// </summary>
internal static unsafe class RowSoftmax
{
    /// <summary>Whether these kernels can run (AVX-512 masked loads and stores).</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>
    /// Σ_j e^(z_j − max) of one row and its max, so that log Σ e^z = max + log(result) (the caller takes the logs of
    /// many rows at once). A NaN in the row gives NaN; an infinite max gives 1 (the log-sum-exp is then the max).
    /// </summary>
    public static double SumExp(float* z, int c, out float max)
    {
        max = float.NegativeInfinity;
        if (c == 0)
            return 0;
        var negInf = Vector512.Create(float.NegativeInfinity);
        var vmax = negInf;
        var nan = Vector512<float>.Zero;
        int j = 0;
        for (; j + 16 <= c; j += 16)
        {
            var v = Vector512.Load(z + j);
            vmax = Avx512F.Max(vmax, v); // NaNs are detected separately
            nan |= Vector512.IsNaN(v).AsSingle();
        }
        if (j < c)
        {
            var v = Avx512F.MaskLoad(z + j, Tail(c - j), negInf);
            vmax = Avx512F.Max(vmax, v); // NaNs are detected separately
            nan |= Vector512.IsNaN(v).AsSingle();
        }
        if (nan != Vector512<float>.Zero)
            return double.NaN;
        max = HorizontalMax(vmax);
        // All −∞ gives −∞; any +∞ gives +∞ (as the scalar formula does).
        if (float.IsInfinity(max))
            return 1;
        var m = Vector512.Create(max);
        var sum = Vector512<float>.Zero;
        for (j = 0; j + 16 <= c; j += 16)
            sum += VectorExp.Exp(Vector512.Load(z + j) - m);
        if (j < c)
        {
            var mask = Tail(c - j);
            sum += VectorExp.Exp(Avx512F.MaskLoad(z + j, mask, m) - m) & mask;
        }
        return Vector512.Sum(sum);
    }

    /// <summary>d_j = scale · e^(z_j − lse) over one row.</summary>
    public static void ScaledSoftmax(float* z, float* d, int c, float lse, float scale)
    {
        var l = Vector512.Create(lse);
        var s = Vector512.Create(scale);
        int j = 0;
        for (; j + 16 <= c; j += 16)
            Vector512.Store(VectorExp.Exp(Vector512.Load(z + j) - l) * s, d + j);
        if (j < c)
        {
            var mask = Tail(c - j);
            Avx512F.MaskStore(d + j, mask, VectorExp.Exp(Avx512F.MaskLoad(z + j, mask, l) - l) * s);
        }
    }

    /// <summary>v = ln v over a whole span (the logs of many row sums at once).</summary>
    public static void LogInPlace(Span<float> v)
    {
        fixed (float* p = v)
        {
            int j = 0;
            for (; j + 16 <= v.Length; j += 16)
                Vector512.Store(VectorExp.Log(Vector512.Load(p + j)), p + j);
            if (j < v.Length)
            {
                var mask = Tail(v.Length - j);
                Avx512F.MaskStore(p + j, mask, VectorExp.Log(Avx512F.MaskLoad(p + j, mask, Vector512<float>.One)));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Tail(int n) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(n)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HorizontalMax(Vector512<float> v)
    {
        var m = Avx.Max(v.GetLower(), v.GetUpper());
        var n = Sse.Max(m.GetLower(), m.GetUpper());
        n = Sse.Max(n, Vector128.Shuffle(n, Vector128.Create(2, 3, 0, 1)));
        n = Sse.Max(n, Vector128.Shuffle(n, Vector128.Create(1, 0, 3, 2)));
        return n.ToScalar();
    }
}
