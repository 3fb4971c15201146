namespace Dendrite.Backends.Cpu;

/// <summary>
/// Walks the rows (runs along the last dim) of a strided N-d view in row-major order, keeping the storage offset
/// of the current row's first element in <see cref="Offset"/>.
/// </summary>
internal ref struct StridedRows
{
    private readonly int[] _shape;
    private readonly int[] _strides;
    private readonly Span<int> _idx;

    /// <summary>Storage offset of the current row's first element.</summary>
    public int Offset;

    /// <param name="offset">Offset of the view's first element.</param>
    /// <param name="shape">View shape (rank at least 1).</param>
    /// <param name="strides">View strides.</param>
    /// <param name="idx">Scratch of length rank for the multi-index (the caller stackallocs it).</param>
    public StridedRows(int offset, int[] shape, int[] strides, Span<int> idx)
    {
        _shape = shape;
        _strides = strides;
        _idx = idx;
        idx.Clear();
        Offset = offset;
    }

    /// <summary>Moves to the next row: advances the multi-index over the outer dims, carrying into higher dims.</summary>
    public void Next()
    {
        for (int k = _shape.Length - 2; k >= 0; k--)
        {
            Offset += _strides[k];
            if (++_idx[k] < _shape[k])
                break;
            Offset -= _strides[k] * _shape[k];
            _idx[k] = 0;
        }
    }
}
