using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>The strip GEMM's copy of a transposed B (stored n×k) into the k×n rows its kernel reads.</summary>
internal static unsafe partial class GemmKernelStrip
{
    /// <summary>dst[k×ldd] = src[n×k]ᵀ (src row stride <paramref name="lds"/>, ldd a multiple of 16 ≥ n), in 16×16
    /// blocks transposed in registers; the columns of dst past n are written as zeros.</summary>
    private static void Transpose(float* src, nint lds, int n, int k, float* dst, nint ldd)
    {
        // Stage b swaps bit b of the row index with bit b of the lane index: for a row pair (x, x + 2^b), the new x
        // takes lane L from x[L] where L's bit b is clear, else from y[L - 2^b]; the new y from x[L + 2^b] or y[L].
        var ix = new BlockIndices(Vector512<int>.Indices);
        var zero = Vector512<float>.Zero;
        for (int j0 = 0; j0 < n; j0 += W)
        {
            int rows = Math.Min(W, n - j0);
            for (int p0 = 0; p0 < k; p0 += W)
            {
                int cols = Math.Min(W, k - p0);
                var mask = GemmSimd.FirstLanes<float>(cols);
                float* s = src + j0 * lds + p0;
                var r0 = rows > 0 ? Avx512F.MaskLoad(s + 0 * lds, mask, zero) : zero;
                var r1 = rows > 1 ? Avx512F.MaskLoad(s + 1 * lds, mask, zero) : zero;
                var r2 = rows > 2 ? Avx512F.MaskLoad(s + 2 * lds, mask, zero) : zero;
                var r3 = rows > 3 ? Avx512F.MaskLoad(s + 3 * lds, mask, zero) : zero;
                var r4 = rows > 4 ? Avx512F.MaskLoad(s + 4 * lds, mask, zero) : zero;
                var r5 = rows > 5 ? Avx512F.MaskLoad(s + 5 * lds, mask, zero) : zero;
                var r6 = rows > 6 ? Avx512F.MaskLoad(s + 6 * lds, mask, zero) : zero;
                var r7 = rows > 7 ? Avx512F.MaskLoad(s + 7 * lds, mask, zero) : zero;
                var r8 = rows > 8 ? Avx512F.MaskLoad(s + 8 * lds, mask, zero) : zero;
                var r9 = rows > 9 ? Avx512F.MaskLoad(s + 9 * lds, mask, zero) : zero;
                var rA = rows > 10 ? Avx512F.MaskLoad(s + 10 * lds, mask, zero) : zero;
                var rB = rows > 11 ? Avx512F.MaskLoad(s + 11 * lds, mask, zero) : zero;
                var rC = rows > 12 ? Avx512F.MaskLoad(s + 12 * lds, mask, zero) : zero;
                var rD = rows > 13 ? Avx512F.MaskLoad(s + 13 * lds, mask, zero) : zero;
                var rE = rows > 14 ? Avx512F.MaskLoad(s + 14 * lds, mask, zero) : zero;
                var rF = rows > 15 ? Avx512F.MaskLoad(s + 15 * lds, mask, zero) : zero;
                Block16(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ref r8, ref r9, ref rA, ref rB, ref rC, ref rD, ref rE, ref rF, in ix);
                float* d = dst + p0 * ldd + j0;
                Vector512.Store(r0, d);
                if (cols > 1) Vector512.Store(r1, d + 1 * ldd);
                if (cols > 2) Vector512.Store(r2, d + 2 * ldd);
                if (cols > 3) Vector512.Store(r3, d + 3 * ldd);
                if (cols > 4) Vector512.Store(r4, d + 4 * ldd);
                if (cols > 5) Vector512.Store(r5, d + 5 * ldd);
                if (cols > 6) Vector512.Store(r6, d + 6 * ldd);
                if (cols > 7) Vector512.Store(r7, d + 7 * ldd);
                if (cols > 8) Vector512.Store(r8, d + 8 * ldd);
                if (cols > 9) Vector512.Store(r9, d + 9 * ldd);
                if (cols > 10) Vector512.Store(rA, d + 10 * ldd);
                if (cols > 11) Vector512.Store(rB, d + 11 * ldd);
                if (cols > 12) Vector512.Store(rC, d + 12 * ldd);
                if (cols > 13) Vector512.Store(rD, d + 13 * ldd);
                if (cols > 14) Vector512.Store(rE, d + 14 * ldd);
                if (cols > 15) Vector512.Store(rF, d + 15 * ldd);
            }
        }
    }

    private static Vector512<int> Low(Vector512<int> lanes, int bit)
        => Vector512.ConditionalSelect(Vector512.Equals(lanes & Vector512.Create(bit), Vector512<int>.Zero),
            lanes, (lanes & Vector512.Create(~bit)) + Vector512.Create(W));

    private static Vector512<int> High(Vector512<int> lanes, int bit)
        => Vector512.ConditionalSelect(Vector512.Equals(lanes & Vector512.Create(bit), Vector512<int>.Zero),
            lanes | Vector512.Create(bit), lanes + Vector512.Create(W));

    /// <summary>Transposes the 16×16 block held in r0..rF (row t = vector t) in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block16(ref Vector512<float> r0, ref Vector512<float> r1, ref Vector512<float> r2, ref Vector512<float> r3, ref Vector512<float> r4, ref Vector512<float> r5, ref Vector512<float> r6, ref Vector512<float> r7, ref Vector512<float> r8, ref Vector512<float> r9, ref Vector512<float> rA, ref Vector512<float> rB, ref Vector512<float> rC, ref Vector512<float> rD, ref Vector512<float> rE, ref Vector512<float> rF,
        in BlockIndices ix)
    {
        Vector512<float> a, b;
        a = r0; b = r8; r0 = Avx512F.PermuteVar16x32x2(a, ix.Lo3, b); r8 = Avx512F.PermuteVar16x32x2(a, ix.Hi3, b);
        a = r1; b = r9; r1 = Avx512F.PermuteVar16x32x2(a, ix.Lo3, b); r9 = Avx512F.PermuteVar16x32x2(a, ix.Hi3, b);
        a = r2; b = rA; r2 = Avx512F.PermuteVar16x32x2(a, ix.Lo3, b); rA = Avx512F.PermuteVar16x32x2(a, ix.Hi3, b);
        a = r3; b = rB; r3 = Avx512F.PermuteVar16x32x2(a, ix.Lo3, b); rB = Avx512F.PermuteVar16x32x2(a, ix.Hi3, b);
        a = r4; b = rC; r4 = Avx512F.PermuteVar16x32x2(a, ix.Lo3, b); rC = Avx512F.PermuteVar16x32x2(a, ix.Hi3, b);
        a = r5; b = rD; r5 = Avx512F.PermuteVar16x32x2(a, ix.Lo3, b); rD = Avx512F.PermuteVar16x32x2(a, ix.Hi3, b);
        a = r6; b = rE; r6 = Avx512F.PermuteVar16x32x2(a, ix.Lo3, b); rE = Avx512F.PermuteVar16x32x2(a, ix.Hi3, b);
        a = r7; b = rF; r7 = Avx512F.PermuteVar16x32x2(a, ix.Lo3, b); rF = Avx512F.PermuteVar16x32x2(a, ix.Hi3, b);
        a = r0; b = r4; r0 = Avx512F.PermuteVar16x32x2(a, ix.Lo2, b); r4 = Avx512F.PermuteVar16x32x2(a, ix.Hi2, b);
        a = r1; b = r5; r1 = Avx512F.PermuteVar16x32x2(a, ix.Lo2, b); r5 = Avx512F.PermuteVar16x32x2(a, ix.Hi2, b);
        a = r2; b = r6; r2 = Avx512F.PermuteVar16x32x2(a, ix.Lo2, b); r6 = Avx512F.PermuteVar16x32x2(a, ix.Hi2, b);
        a = r3; b = r7; r3 = Avx512F.PermuteVar16x32x2(a, ix.Lo2, b); r7 = Avx512F.PermuteVar16x32x2(a, ix.Hi2, b);
        a = r8; b = rC; r8 = Avx512F.PermuteVar16x32x2(a, ix.Lo2, b); rC = Avx512F.PermuteVar16x32x2(a, ix.Hi2, b);
        a = r9; b = rD; r9 = Avx512F.PermuteVar16x32x2(a, ix.Lo2, b); rD = Avx512F.PermuteVar16x32x2(a, ix.Hi2, b);
        a = rA; b = rE; rA = Avx512F.PermuteVar16x32x2(a, ix.Lo2, b); rE = Avx512F.PermuteVar16x32x2(a, ix.Hi2, b);
        a = rB; b = rF; rB = Avx512F.PermuteVar16x32x2(a, ix.Lo2, b); rF = Avx512F.PermuteVar16x32x2(a, ix.Hi2, b);
        a = r0; b = r2; r0 = Avx512F.PermuteVar16x32x2(a, ix.Lo1, b); r2 = Avx512F.PermuteVar16x32x2(a, ix.Hi1, b);
        a = r1; b = r3; r1 = Avx512F.PermuteVar16x32x2(a, ix.Lo1, b); r3 = Avx512F.PermuteVar16x32x2(a, ix.Hi1, b);
        a = r4; b = r6; r4 = Avx512F.PermuteVar16x32x2(a, ix.Lo1, b); r6 = Avx512F.PermuteVar16x32x2(a, ix.Hi1, b);
        a = r5; b = r7; r5 = Avx512F.PermuteVar16x32x2(a, ix.Lo1, b); r7 = Avx512F.PermuteVar16x32x2(a, ix.Hi1, b);
        a = r8; b = rA; r8 = Avx512F.PermuteVar16x32x2(a, ix.Lo1, b); rA = Avx512F.PermuteVar16x32x2(a, ix.Hi1, b);
        a = r9; b = rB; r9 = Avx512F.PermuteVar16x32x2(a, ix.Lo1, b); rB = Avx512F.PermuteVar16x32x2(a, ix.Hi1, b);
        a = rC; b = rE; rC = Avx512F.PermuteVar16x32x2(a, ix.Lo1, b); rE = Avx512F.PermuteVar16x32x2(a, ix.Hi1, b);
        a = rD; b = rF; rD = Avx512F.PermuteVar16x32x2(a, ix.Lo1, b); rF = Avx512F.PermuteVar16x32x2(a, ix.Hi1, b);
        a = r0; b = r1; r0 = Avx512F.PermuteVar16x32x2(a, ix.Lo0, b); r1 = Avx512F.PermuteVar16x32x2(a, ix.Hi0, b);
        a = r2; b = r3; r2 = Avx512F.PermuteVar16x32x2(a, ix.Lo0, b); r3 = Avx512F.PermuteVar16x32x2(a, ix.Hi0, b);
        a = r4; b = r5; r4 = Avx512F.PermuteVar16x32x2(a, ix.Lo0, b); r5 = Avx512F.PermuteVar16x32x2(a, ix.Hi0, b);
        a = r6; b = r7; r6 = Avx512F.PermuteVar16x32x2(a, ix.Lo0, b); r7 = Avx512F.PermuteVar16x32x2(a, ix.Hi0, b);
        a = r8; b = r9; r8 = Avx512F.PermuteVar16x32x2(a, ix.Lo0, b); r9 = Avx512F.PermuteVar16x32x2(a, ix.Hi0, b);
        a = rA; b = rB; rA = Avx512F.PermuteVar16x32x2(a, ix.Lo0, b); rB = Avx512F.PermuteVar16x32x2(a, ix.Hi0, b);
        a = rC; b = rD; rC = Avx512F.PermuteVar16x32x2(a, ix.Lo0, b); rD = Avx512F.PermuteVar16x32x2(a, ix.Hi0, b);
        a = rE; b = rF; rE = Avx512F.PermuteVar16x32x2(a, ix.Lo0, b); rF = Avx512F.PermuteVar16x32x2(a, ix.Hi0, b);
    }

    /// <summary>The vpermt2ps index pairs of the four transpose stages.</summary>
    private readonly struct BlockIndices
    {
        public readonly Vector512<int> Lo0, Hi0, Lo1, Hi1, Lo2, Hi2, Lo3, Hi3;

        public BlockIndices(Vector512<int> lanes)
        {
            Lo0 = Low(lanes, 1); Hi0 = High(lanes, 1);
            Lo1 = Low(lanes, 2); Hi1 = High(lanes, 2);
            Lo2 = Low(lanes, 4); Hi2 = High(lanes, 4);
            Lo3 = Low(lanes, 8); Hi3 = High(lanes, 8);
        }
    }
}
