using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using static Dendrite.Backends.Cpu.GemmSimd;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Fallback register tile for hardware without 256-bit SIMD (e.g. Arm NEON): 12 rows × 2
/// Vector128 columns, accumulated row by row. Correct everywhere, tuned nowhere.
/// </summary>
internal static unsafe class GemmKernelPortable
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = GemmBlocking.Mr;

    /// <summary>Columns of the register tile, in elements.</summary>
    public static int NR<T>() => 2 * Vector128<T>.Count;

    /// <summary>Same contract as <see cref="GemmKernel512.Run{T, TA}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TA>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta)
        where T : unmanaged, INumber<T> where TA : struct, IPackedALayout
    {
        nint rs = TA.RowPanel ? GemmBlocking.Kc<T>() : 1;
        nint ks = TA.RowPanel ? 1 : MR;
        int w = Vector128<T>.Count;
        for (int r = 0; r < MR; r++)
        {
            Vector128<T> s0 = default, s1 = default;
            T* ar = a + r * rs;
            T* bp = b;
            for (int p = 0; p < kc; p++)
            {
                Vector128<T> x = Vector128.Create(ar[p * ks]);
                s0 = MulAdd(x, Vector128.Load(bp), s0);
                s1 = MulAdd(x, Vector128.Load(bp + w), s1);
                bp += 2 * w;
            }
            T* cr = c + r * ldc;
            for (int j = 0; j < 2 * w; j++)
            {
                T v = alpha * (j < w ? s0[j] : s1[j - w]);
                cr[j] = beta == T.Zero ? v : v + beta * cr[j];
            }
        }
    }
}
