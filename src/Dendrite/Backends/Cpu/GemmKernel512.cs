using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static Dendrite.Backends.Cpu.GemmSimd;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The AVX-512 register tile: 12 rows × 2 vectors (12×32 floats, 12×16 doubles) of C held in 24
/// zmm accumulators. Per k step it loads two B vectors and broadcasts 12 A values, so 24 FMAs
/// need only 14 loads and the two FMA pipes never wait on memory.
/// </summary>
internal static unsafe class GemmKernel512
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = GemmBlocking.Mr;

    /// <summary>Columns of the register tile, in elements.</summary>
    public static int NR<T>() => 2 * Vector512<T>.Count;

    /// <summary>
    /// C[0..MR, 0..NR] (row stride <paramref name="ldc"/>) = alpha·Ã·B̃ + beta·C over
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
        nint ks = TA.RowPanel ? 1 : MR;
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
        if (Sse.IsSupported)
        {
            // Start pulling the C tile in now; it is only touched after the k loop, and for big
            // matrices its rows (one page apart) would otherwise miss all the way to L3 or DRAM.
            for (int r = 0; r < MR; r++)
            {
                Sse.Prefetch0(c + r * ldc);
                Sse.Prefetch0(c + r * ldc + 2 * w - 1);
            }
        }
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + w);
            Vector512<T> x = Vector512.Create(a[0]);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector512.Create(a[rs]);
            c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector512.Create(a[2 * rs]);
            c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector512.Create(a[3 * rs]);
            c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector512.Create(a[4 * rs]);
            c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector512.Create(a[5 * rs]);
            c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            x = Vector512.Create(a[6 * rs]);
            c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
            x = Vector512.Create(a[7 * rs]);
            c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
            x = Vector512.Create(a[8 * rs]);
            c80 = Fma(x, b0, c80); c81 = Fma(x, b1, c81);
            x = Vector512.Create(a[9 * rs]);
            c90 = Fma(x, b0, c90); c91 = Fma(x, b1, c91);
            x = Vector512.Create(a[10 * rs]);
            cA0 = Fma(x, b0, cA0); cA1 = Fma(x, b1, cA1);
            x = Vector512.Create(a[11 * rs]);
            cB0 = Fma(x, b0, cB0); cB1 = Fma(x, b1, cB1);
            a += ks;
            b += 2 * w;
        }

        int mode = Mode(beta);
        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        Store(c, c00, va, vb, mode); Store(c + w, c01, va, vb, mode); c += ldc;
        Store(c, c10, va, vb, mode); Store(c + w, c11, va, vb, mode); c += ldc;
        Store(c, c20, va, vb, mode); Store(c + w, c21, va, vb, mode); c += ldc;
        Store(c, c30, va, vb, mode); Store(c + w, c31, va, vb, mode); c += ldc;
        Store(c, c40, va, vb, mode); Store(c + w, c41, va, vb, mode); c += ldc;
        Store(c, c50, va, vb, mode); Store(c + w, c51, va, vb, mode); c += ldc;
        Store(c, c60, va, vb, mode); Store(c + w, c61, va, vb, mode); c += ldc;
        Store(c, c70, va, vb, mode); Store(c + w, c71, va, vb, mode); c += ldc;
        Store(c, c80, va, vb, mode); Store(c + w, c81, va, vb, mode); c += ldc;
        Store(c, c90, va, vb, mode); Store(c + w, c91, va, vb, mode); c += ldc;
        Store(c, cA0, va, vb, mode); Store(c + w, cA1, va, vb, mode); c += ldc;
        Store(c, cB0, va, vb, mode); Store(c + w, cB1, va, vb, mode);
    }

    /// <summary>
    /// As <see cref="Run{T, TA}"/> for the first <paramref name="rows"/> (1 to 4) rows of the micro-panel only: the
    /// bottom edge of a C whose row count leaves a remainder of 1-4 (256 = 21·12 + 4) costs a third of a full tile
    /// instead of a full tile plus a merge through scratch.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunRows4<T, TA>(int rows, int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T> where TA : struct, IPackedALayout
    {
        nint rs = TA.RowPanel ? GemmBlocking.Kc<T>() : 1;
        nint ks = TA.RowPanel ? 1 : MR;
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b), b1 = Vector512.Load(b + w);
            Vector512<T> x = Vector512.Create(a[0]);
            c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector512.Create(a[rs]);
            c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector512.Create(a[2 * rs]);
            c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector512.Create(a[3 * rs]);
            c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            a += ks;
            b += 2 * w;
        }

        // Rows past the edge were computed from the panel's zero padding and are not stored.
        int mode = Mode(beta);
        Vector512<T> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        Store(c, c00, va, vb, mode); Store(c + w, c01, va, vb, mode);
        if (rows < 2) return;
        c += ldc;
        Store(c, c10, va, vb, mode); Store(c + w, c11, va, vb, mode);
        if (rows < 3) return;
        c += ldc;
        Store(c, c20, va, vb, mode); Store(c + w, c21, va, vb, mode);
        if (rows < 4) return;
        c += ldc;
        Store(c, c30, va, vb, mode); Store(c + w, c31, va, vb, mode);
    }
}
