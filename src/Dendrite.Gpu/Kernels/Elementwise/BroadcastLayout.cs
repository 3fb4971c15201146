namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>
/// Up to three operands (A, B, C) broadcast over one dense output shape, passed by value to kernels: the output's
/// row-major position i maps to element <c>Offset_X + Σ_d index_d(i)·stride_X,d</c> of each operand. Built by
/// <see cref="Create"/>, which drops size-1 dims and merges neighbours contiguous in every operand, so the common
/// cases cost little per element: equal dense operands and scalars become rank 1 (no division), a row broadcast
/// (bias) rank 2 (one division).
/// </summary>
/// <remarks>
/// Sizes fit in int (a tensor's element count is an int), so the index arithmetic is 32-bit. Like
/// <see cref="StridedLayout"/>, the outermost dimension's strides are separate and the others are right-aligned in
/// slots 1..7 (slot 7 innermost).
/// </remarks>
internal struct BroadcastLayout
{
    /// <summary>The largest rank after merging.</summary>
    public const int MaxRank = 8;

#pragma warning disable CS1591 // described in the summary and remarks
    public int Rank;
    public int OffsetA, OffsetB, OffsetC;
    public int OuterA, OuterB, OuterC;
    public int N1, N2, N3, N4, N5, N6, N7;
    public int A1, A2, A3, A4, A5, A6, A7;
    public int B1, B2, B3, B4, B5, B6, B7;
    public int C1, C2, C3, C4, C5, C6, C7;
#pragma warning restore CS1591

    /// <summary>
    /// The layout of <paramref name="shape"/> with each operand's strides already broadcast to it (0 on expanded
    /// dims); an empty stride span stands for an absent operand.
    /// </summary>
    /// <exception cref="NotSupportedException">More than <see cref="MaxRank"/> dimensions remain after merging.</exception>
    public static BroadcastLayout Create(ReadOnlySpan<int> shape, ReadOnlySpan<int> a, int offsetA, ReadOnlySpan<int> b, int offsetB,
        ReadOnlySpan<int> c = default, int offsetC = 0)
    {
        int n = Math.Max(shape.Length, 1);
        Span<int> dims = stackalloc int[n];
        Span<int> sa = stackalloc int[n];
        Span<int> sb = stackalloc int[n];
        Span<int> sc = stackalloc int[n];
        int rank = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1)
                continue;
            int ai = a.IsEmpty ? 0 : a[i], bi = b.IsEmpty ? 0 : b[i], ci = c.IsEmpty ? 0 : c[i];
            if (rank > 0)
            {
                int p = rank - 1;
                if (sa[p] == ai * shape[i] && sb[p] == bi * shape[i] && sc[p] == ci * shape[i])
                {
                    dims[p] *= shape[i];
                    (sa[p], sb[p], sc[p]) = (ai, bi, ci);
                    continue;
                }
            }
            (dims[rank], sa[rank], sb[rank], sc[rank]) = (shape[i], ai, bi, ci);
            rank++;
        }
        if (rank == 0)
        {
            (dims[0], sa[0], sb[0], sc[0]) = (1, 0, 0, 0);
            rank = 1;
        }
        if (rank > MaxRank)
            throw new NotSupportedException(
                $"Broadcasting over {rank} dimensions that cannot be merged exceeds the GPU kernels' limit of {MaxRank}.");

        Span<int> s = stackalloc int[MaxRank];
        Span<int> ta = stackalloc int[MaxRank];
        Span<int> tb = stackalloc int[MaxRank];
        Span<int> tc = stackalloc int[MaxRank];
        s.Fill(1);
        ta.Clear();
        tb.Clear();
        tc.Clear();
        for (int d = 1; d < rank; d++)
        {
            int slot = MaxRank - rank + d;
            (s[slot], ta[slot], tb[slot], tc[slot]) = (dims[d], sa[d], sb[d], sc[d]);
        }
        return new BroadcastLayout
        {
            Rank = rank,
            OffsetA = offsetA, OffsetB = offsetB, OffsetC = offsetC,
            OuterA = sa[0], OuterB = sb[0], OuterC = sc[0],
            N1 = s[1], N2 = s[2], N3 = s[3], N4 = s[4], N5 = s[5], N6 = s[6], N7 = s[7],
            A1 = ta[1], A2 = ta[2], A3 = ta[3], A4 = ta[4], A5 = ta[5], A6 = ta[6], A7 = ta[7],
            B1 = tb[1], B2 = tb[2], B3 = tb[3], B4 = tb[4], B5 = tb[5], B6 = tb[6], B7 = tb[7],
            C1 = tc[1], C2 = tc[2], C3 = tc[3], C4 = tc[4], C5 = tc[5], C6 = tc[6], C7 = tc[7],
        };
    }

    /// <summary>The element offsets of output position <paramref name="linear"/> in A, B and C.</summary>
    public readonly OperandOffsets OffsetsOf(int linear)
    {
        // Peel the inner dims off the linear index, innermost (slot 7) first; the rest indexes the outer dim.
        int a = OffsetA, b = OffsetB, c = OffsetC, rest = linear, q, r;
        if (Rank > 1) { q = rest / N7; r = rest - q * N7; a += r * A7; b += r * B7; c += r * C7; rest = q; }
        if (Rank > 2) { q = rest / N6; r = rest - q * N6; a += r * A6; b += r * B6; c += r * C6; rest = q; }
        if (Rank > 3) { q = rest / N5; r = rest - q * N5; a += r * A5; b += r * B5; c += r * C5; rest = q; }
        if (Rank > 4) { q = rest / N4; r = rest - q * N4; a += r * A4; b += r * B4; c += r * C4; rest = q; }
        if (Rank > 5) { q = rest / N3; r = rest - q * N3; a += r * A3; b += r * B3; c += r * C3; rest = q; }
        if (Rank > 6) { q = rest / N2; r = rest - q * N2; a += r * A2; b += r * B2; c += r * C2; rest = q; }
        if (Rank > 7) { q = rest / N1; r = rest - q * N1; a += r * A1; b += r * B1; c += r * C1; rest = q; }
        return new OperandOffsets(a + rest * OuterA, b + rest * OuterB, c + rest * OuterC);
    }
}

/// <summary>The element offsets of one output position in the operands of a <see cref="BroadcastLayout"/>.</summary>
internal readonly record struct OperandOffsets(int A, int B, int C);
