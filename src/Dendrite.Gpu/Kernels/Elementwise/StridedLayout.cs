namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>
/// An N-d strided view (rank ≤ 8) passed by value to kernels: element offset =
/// <c>Offset + Σ_d index_d · stride_d</c> for the row-major multi-index of a linear position.
/// </summary>
/// <remarks>
/// Kernels cannot index a field array, so the dimensions live in named fields and <see cref="OffsetOf"/> is unrolled
/// by hand: the outermost dimension in (<see cref="OuterStride"/>), the others right-aligned in slots 1..7 (slot 7
/// innermost) with sizes <c>S1..S7</c> and strides <c>T1..T7</c>. Only the first <c>Rank − 1</c> inner slots are
/// used, so a rank-2 view costs one division per element, not seven.
/// </remarks>
internal struct StridedLayout
{
    /// <summary>The largest rank supported.</summary>
    public const int MaxRank = 8;

    /// <summary>Number of dimensions (0 for a scalar).</summary>
    public int Rank;

    /// <summary>Element offset of index (0, ..., 0).</summary>
    public long Offset;

    /// <summary>Stride of dimension 0.</summary>
    public long OuterStride;

#pragma warning disable CS1591 // the slot fields are described in the remarks
    public long S1, S2, S3, S4, S5, S6, S7;
    public long T1, T2, T3, T4, T5, T6, T7;
#pragma warning restore CS1591

    /// <summary>Builds the layout of sizes/strides (dimension 0 outermost) starting at <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentException">Rank above 8, mismatched lengths, or a negative size.</exception>
    public static StridedLayout Create(ReadOnlySpan<long> sizes, ReadOnlySpan<long> strides, long offset)
    {
        if (sizes.Length != strides.Length)
            throw new ArgumentException($"StridedLayout: {sizes.Length} sizes but {strides.Length} strides.");
        if (sizes.Length > MaxRank)
            throw new ArgumentException($"StridedLayout: rank {sizes.Length} exceeds the supported {MaxRank}.");
        var layout = new StridedLayout { Rank = sizes.Length, Offset = offset };
        Span<long> s = stackalloc long[MaxRank];
        Span<long> t = stackalloc long[MaxRank];
        s.Fill(1);
        t.Clear();
        for (int d = 0; d < sizes.Length; d++)
        {
            if (sizes[d] < 0)
                throw new ArgumentException($"StridedLayout: size {sizes[d]} of dimension {d} is negative.");
            // Dimension d goes to slot 8 − rank + d; slot 8 − rank (dimension 0) is the outer one.
            s[MaxRank - sizes.Length + d] = sizes[d];
            t[MaxRank - sizes.Length + d] = strides[d];
        }
        if (sizes.Length > 0)
            layout.OuterStride = strides[0];
        (layout.S1, layout.S2, layout.S3, layout.S4, layout.S5, layout.S6, layout.S7) = (s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
        (layout.T1, layout.T2, layout.T3, layout.T4, layout.T5, layout.T6, layout.T7) = (t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
        return layout;
    }

    /// <summary>The element offset of row-major position <paramref name="linear"/>.</summary>
    public readonly long OffsetOf(long linear)
    {
        // Peel the inner dimensions off the linear index from the innermost (slot 7) outwards; what is left
        // is the index of dimension 0.
        long offset = Offset, rest = linear, q;
        if (Rank > 1) { q = rest / S7; offset += (rest - q * S7) * T7; rest = q; }
        if (Rank > 2) { q = rest / S6; offset += (rest - q * S6) * T6; rest = q; }
        if (Rank > 3) { q = rest / S5; offset += (rest - q * S5) * T5; rest = q; }
        if (Rank > 4) { q = rest / S4; offset += (rest - q * S4) * T4; rest = q; }
        if (Rank > 5) { q = rest / S3; offset += (rest - q * S3) * T3; rest = q; }
        if (Rank > 6) { q = rest / S2; offset += (rest - q * S2) * T2; rest = q; }
        if (Rank > 7) { q = rest / S1; offset += (rest - q * S1) * T1; rest = q; }
        return offset + rest * OuterStride;
    }
}
