using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Dendrite.Backends.Cpu.GemmSimd;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The 256-bit tile for AVX2 machines without AVX-512 (16 ymm registers): 6 rows × 2 vectors in
/// 12 accumulators, plus two B vectors and one broadcast. A packed 12-row micro-panel is processed
/// as two halves that reuse the same B micro-panel from L1, so packing is shared with the other tiles.
/// </summary>
internal static unsafe class GemmKernel256Half
{
    /// <summary>Rows of the register tile (half of a packed micro-panel).</summary>
    public const int Rows = 6;

    /// <summary>Full 12-row micro-panel: the two 6-row halves, one after the other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunPair<T, TA>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T> where TA : struct, IPackedALayout
    {
        nint rs = TA.RowPanel ? GemmBlocking.Kc<T>() : 1;
        Run<T, TA>(kc, a, b, c, ldc, alpha, beta);
        Run<T, TA>(kc, a + Rows * rs, b, c + Rows * ldc, ldc, alpha, beta);
    }

    /// <summary>
    /// C[0..6, 0..2·Vector256&lt;T&gt;.Count] (row stride <paramref name="ldc"/>) = alpha·Ã·B̃ + beta·C over
    /// <paramref name="kc"/> steps of a packed A micro-panel (layout <typeparamref name="TA"/>) and a
    /// packed B micro-panel (NR contiguous values per k).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TA>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T> where TA : struct, IPackedALayout
    {
        // Element offsets of A row r at step p: r·rs + p·ks (compile-time constants per layout,
        // so every broadcast is one instruction with a fixed displacement).
        nint rs = TA.RowPanel ? GemmBlocking.Kc<T>() : 1;
        nint ks = TA.RowPanel ? 1 : GemmBlocking.Mr;
        int w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        if (Sse.IsSupported)
        {
            // Start pulling the C tile in now; it is only touched after the k loop, and for big
            // matrices its rows (one page apart) would otherwise miss all the way to L3 or DRAM.
            for (int r = 0; r < Rows; r++)
            {
                Sse.Prefetch0(c + r * ldc);
                Sse.Prefetch0(c + r * ldc + 2 * w - 1);
            }
        }
        for (int p = 0; p < kc; p++)
        {
            Vector256<T> b0 = Vector256.Load(b), b1 = Vector256.Load(b + w);
            Vector256<T> x = Vector256.Create(a[0]);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector256.Create(a[rs]);
            c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector256.Create(a[2 * rs]);
            c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector256.Create(a[3 * rs]);
            c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector256.Create(a[4 * rs]);
            c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector256.Create(a[5 * rs]);
            c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            a += ks;
            b += 2 * w;
        }

        int mode = Mode(beta);
        Vector256<T> va = Vector256.Create(alpha), vb = Vector256.Create(beta);
        Store(c, c00, va, vb, mode); Store(c + w, c01, va, vb, mode); c += ldc;
        Store(c, c10, va, vb, mode); Store(c + w, c11, va, vb, mode); c += ldc;
        Store(c, c20, va, vb, mode); Store(c + w, c21, va, vb, mode); c += ldc;
        Store(c, c30, va, vb, mode); Store(c + w, c31, va, vb, mode); c += ldc;
        Store(c, c40, va, vb, mode); Store(c + w, c41, va, vb, mode); c += ldc;
        Store(c, c50, va, vb, mode); Store(c + w, c51, va, vb, mode);
    }
}
