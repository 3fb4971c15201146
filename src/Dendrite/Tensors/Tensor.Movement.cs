using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>The same data with a new shape (one size may be −1); a view when the data is contiguous, else a copy.</summary>
    public Tensor Reshape(params ReadOnlySpan<int> shape) => ReshapeOp.Apply(this, shape, viewOnly: false);

    /// <summary>A view with a new shape (one size may be −1); the tensor must be contiguous.</summary>
    public Tensor View(params ReadOnlySpan<int> shape) => ReshapeOp.Apply(this, shape, viewOnly: true, "View");

    /// <summary>Swaps two dims (a view).</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        int r = Rank;
        if (r < 2 && dim0 is 0 or -1 && dim1 is 0 or -1)
            return this;
        int d0 = ShapeUtil.NormalizeDim(dim0, r, "Transpose"), d1 = ShapeUtil.NormalizeDim(dim1, r, "Transpose");
        if (d0 == d1)
            return this;
        Span<int> perm = stackalloc int[r];
        for (int i = 0; i < r; i++)
            perm[i] = i;
        (perm[d0], perm[d1]) = (perm[d1], perm[d0]);
        return PermuteOp.Apply(this, perm, "Transpose");
    }

    /// <summary>Reorders dims (a view).</summary>
    public Tensor Permute(params ReadOnlySpan<int> dims) => PermuteOp.Apply(this, dims);

    /// <summary>All dims reversed (for a matrix, the transpose), as a view.</summary>
    public Tensor T
    {
        get
        {
            if (Rank < 2)
                return this;
            Span<int> perm = stackalloc int[Rank];
            for (int i = 0; i < Rank; i++)
                perm[i] = Rank - 1 - i;
            return PermuteOp.Apply(this, perm, "T");
        }
    }

    /// <summary><paramref name="length"/> entries of <paramref name="dim"/> from <paramref name="start"/> (a view).</summary>
    public Tensor Narrow(int dim, int start, int length) => NarrowOp.Narrow(this, dim, start, length);

    /// <summary>Entry <paramref name="index"/> of <paramref name="dim"/>, removing that dim (a view).</summary>
    public Tensor Select(int dim, int index) => NarrowOp.Select(this, dim, index);

    /// <summary>Broadcasts size-1 dims to <paramref name="shape"/> (−1 keeps a size) without copying.</summary>
    public Tensor Expand(params ReadOnlySpan<int> shape) => ExpandOp.Apply(this, shape);

    /// <summary>Expands to the shape of <paramref name="other"/>.</summary>
    public Tensor ExpandAs(Tensor other) => ExpandOp.Apply(this, other.ShapeArray);

    /// <summary>Inserts a size-1 dim at <paramref name="dim"/> (a view).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank + 1, "Unsqueeze");
        var shape = new int[Rank + 1];
        for (int i = 0, j = 0; i < shape.Length; i++)
            shape[i] = i == d ? 1 : ShapeArray[j++];
        return Reshape(shape);
    }

    /// <summary>Removes all size-1 dims (a view).</summary>
    public Tensor Squeeze()
    {
        int n = 0;
        foreach (int s in ShapeArray)
            if (s != 1) n++;
        if (n == Rank)
            return this;
        var shape = new int[n];
        for (int i = 0, j = 0; i < Rank; i++)
            if (ShapeArray[i] != 1) shape[j++] = ShapeArray[i];
        return Reshape(shape);
    }

    /// <summary>Removes <paramref name="dim"/> if its size is 1 (a view; otherwise unchanged, as PyTorch).</summary>
    public Tensor Squeeze(int dim)
    {
        if (Rank == 0)
            return this;
        int d = ShapeUtil.NormalizeDim(dim, Rank, "Squeeze");
        if (ShapeArray[d] != 1)
            return this;
        var shape = new int[Rank - 1];
        for (int i = 0, j = 0; i < Rank; i++)
            if (i != d) shape[j++] = ShapeArray[i];
        return Reshape(shape);
    }

    /// <summary>Flattens dims <paramref name="startDim"/>..<paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0)
            return Reshape(1);
        int s = ShapeUtil.NormalizeDim(startDim, Rank, "Flatten"), e = ShapeUtil.NormalizeDim(endDim, Rank, "Flatten");
        if (s > e)
            throw new ArgumentException($"Flatten: startDim ({startDim}) cannot come after endDim ({endDim}).");
        var shape = new int[Rank - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) shape[k++] = ShapeArray[i];
        int prod = 1;
        for (int i = s; i <= e; i++) prod *= ShapeArray[i];
        shape[k++] = prod;
        for (int i = e + 1; i < Rank; i++) shape[k++] = ShapeArray[i];
        return Reshape(shape);
    }

    /// <summary>
    /// Indexing like PyTorch: integers select (removing the dim), ranges narrow, and integer arrays or Int64 tensors
    /// pick entries (advanced indexing): <c>x[1]</c>, <c>x[.., 2]</c>, <c>x[1..3, ^1]</c>,
    /// <c>yHat[new long[] { 0, 1 }, y]</c>. The index arrays broadcast together to a shape B; their dims are replaced
    /// by B in place when they are adjacent, else B comes first (as in PyTorch, integers count as selections made
    /// before, not as index arrays). Negative entries count from the end; the gradient accumulates over repeated
    /// entries.
    /// </summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public Tensor this[params TensorIndex[] indices] => TensorIndexing.Get(this, indices);

    /// <summary>Start and length of range <paramref name="r"/> over a dim of <paramref name="size"/>, clamped as Python slices are.</summary>
    internal static (int Start, int Length) GetRange(Range r, int size)
    {
        int start = r.Start.IsFromEnd ? size - r.Start.Value : r.Start.Value;
        int end = r.End.IsFromEnd ? size - r.End.Value : r.End.Value;
        start = Math.Clamp(start, 0, size);
        end = Math.Clamp(end, start, size);
        return (start, end - start);
    }
}
