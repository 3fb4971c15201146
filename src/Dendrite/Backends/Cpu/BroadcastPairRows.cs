namespace Dendrite.Backends.Cpu;

/// <summary>
/// Walks two broadcast strided operands over a shared shape row by row (rows run along the last dim), keeping the
/// storage offsets of the current row's first elements in <see cref="A"/> and <see cref="B"/>. Size-1 dims are
/// dropped and neighbours contiguous in both operands merged first, so rows are as long as possible.
/// </summary>
internal ref struct BroadcastPairRows
{
    private readonly Span<int> _dims;
    private readonly Span<int> _sa;
    private readonly Span<int> _sb;
    private readonly Span<int> _idx;

    /// <summary>Rank after merging; 0 means the whole shape is one element, at (<see cref="A"/>, <see cref="B"/>).</summary>
    public readonly int Rank;

    /// <summary>Row length (the merged last dim); 1 when <see cref="Rank"/> is 0.</summary>
    public readonly int Inner;

    /// <summary>Strides of a and b along a row (0 where that operand is broadcast along it).</summary>
    public readonly int StrideA, StrideB;

    /// <summary>Storage offsets of the current row's first element in a and b.</summary>
    public int A, B;

    /// <summary>Length of the scratch the caller must stackalloc for a shape of rank <paramref name="rank"/>.</summary>
    public static int ScratchLength(int rank) => 4 * Math.Max(rank, 1);

    /// <param name="shape">Shared (broadcast) shape.</param>
    /// <param name="aOffset">Offset of a's first element.</param>
    /// <param name="aStrides">a's broadcast strides (0 on expanded dims).</param>
    /// <param name="bOffset">Offset of b's first element.</param>
    /// <param name="bStrides">b's broadcast strides (0 on expanded dims).</param>
    /// <param name="scratch">Scratch of <see cref="ScratchLength"/> ints.</param>
    public BroadcastPairRows(int[] shape, int aOffset, int[] aStrides, int bOffset, int[] bStrides, Span<int> scratch)
    {
        int r = Math.Max(shape.Length, 1);
        _dims = scratch.Slice(0, r);
        _sa = scratch.Slice(r, r);
        _sb = scratch.Slice(2 * r, r);
        _idx = scratch.Slice(3 * r, r);
        _idx.Clear();
        Rank = Coalesce(shape, aStrides, bStrides, _dims, _sa, _sb);
        Inner = Rank == 0 ? 1 : _dims[Rank - 1];
        StrideA = Rank == 0 ? 0 : _sa[Rank - 1];
        StrideB = Rank == 0 ? 0 : _sb[Rank - 1];
        A = aOffset;
        B = bOffset;
    }

    /// <summary>Moves to the next row: advances the multi-index over the outer dims, carrying into higher dims.</summary>
    public void Next()
    {
        for (int k = Rank - 2; k >= 0; k--)
        {
            A += _sa[k];
            B += _sb[k];
            if (++_idx[k] < _dims[k])
                break;
            A -= _sa[k] * _dims[k];
            B -= _sb[k] * _dims[k];
            _idx[k] = 0;
        }
    }

    /// <summary>Drops size-1 dims and merges neighbours that are contiguous in both operands; returns the new rank.</summary>
    private static int Coalesce(int[] shape, int[] aStrides, int[] bStrides, Span<int> dims, Span<int> sa, Span<int> sb)
    {
        int rank = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1)
                continue;
            if (rank > 0)
            {
                int p = rank - 1;
                if (sa[p] == aStrides[i] * shape[i] && sb[p] == bStrides[i] * shape[i])
                {
                    dims[p] *= shape[i];
                    sa[p] = aStrides[i];
                    sb[p] = bStrides[i];
                    continue;
                }
            }
            dims[rank] = shape[i];
            sa[rank] = aStrides[i];
            sb[rank] = bStrides[i];
            rank++;
        }
        return rank;
    }
}
