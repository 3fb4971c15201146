namespace Dendrite;

/// <summary>
/// One index of a tensor indexer: an integer (selects), a range (narrows) or integer indices (an <c>int[]</c>,
/// <c>long[]</c> or Int64 tensor: advanced indexing, see <see cref="Tensor"/>'s indexer).
/// </summary>
public readonly struct TensorIndex
{
    private TensorIndex(Index index, Range range, bool isRange, Tensor? indices)
    {
        Index = index;
        Range = range;
        IsRange = isRange;
        Indices = indices;
    }

    /// <summary>The integer index when neither <see cref="IsRange"/> nor <see cref="IsTensor"/>.</summary>
    public Index Index { get; }

    /// <summary>The range when <see cref="IsRange"/> is true.</summary>
    public Range Range { get; }

    /// <summary>True for a range.</summary>
    public bool IsRange { get; }

    /// <summary>The index entries when <see cref="IsTensor"/> is true (an Int64 tensor of any shape).</summary>
    public Tensor? Indices { get; }

    /// <summary>True for integer indices (advanced indexing).</summary>
    public bool IsTensor => Indices is not null;

    /// <summary>An integer index; negative values count from the end, as in PyTorch.</summary>
    public static implicit operator TensorIndex(int i) => new(i < 0 ? System.Index.FromEnd(-i) : new Index(i), default, false, null);

    /// <summary>An index (supports <c>^1</c>).</summary>
    public static implicit operator TensorIndex(Index i) => new(i, default, false, null);

    /// <summary>A range such as <c>..</c> or <c>1..3</c>.</summary>
    public static implicit operator TensorIndex(Range r) => new(default, r, true, null);

    /// <summary>An Int64 tensor of indices (any shape; negative entries count from the end).</summary>
    public static implicit operator TensorIndex(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new(default, default, false, indices);
    }

    /// <summary>A list of indices, like PyTorch's <c>x[[0, 1]]</c>.</summary>
    public static implicit operator TensorIndex(int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new(default, default, false, Tensor.FromArray(indices));
    }

    /// <summary>A list of indices, like PyTorch's <c>x[[0, 1]]</c>.</summary>
    public static implicit operator TensorIndex(long[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        return new(default, default, false, Tensor.FromArray(indices));
    }
}
