namespace Dendrite.Data;

/// <summary>
/// One mini-batch from a <see cref="DataLoader"/>: one stacked tensor per dataset field (usually inputs and
/// targets) and the dataset indices of its samples. Deconstructs as <c>var (x, y) = batch</c>.
/// </summary>
public sealed class Batch
{
    private readonly Tensor[] _tensors;
    private readonly int[] _indices;

    /// <summary>A batch of <paramref name="tensors"/> (first dimension = number of samples) drawn from <paramref name="indices"/>.</summary>
    public Batch(Tensor[] tensors, int[] indices)
    {
        _tensors = tensors ?? throw new ArgumentNullException(nameof(tensors));
        _indices = indices ?? throw new ArgumentNullException(nameof(indices));
        foreach (var t in tensors)
            if (t.Rank == 0 || t.Size(0) != indices.Length)
                throw new ArgumentException($"Batch: every field needs a first dimension of {indices.Length} (the sample count), got shape {ShapeUtil.Format(t.ShapeArray)}.");
    }

    /// <summary>The stacked fields, in dataset field order.</summary>
    public IReadOnlyList<Tensor> Tensors => _tensors;

    /// <summary>The dataset indices of the samples, in batch order.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <summary>Number of samples.</summary>
    public int Size => _indices.Length;

    /// <summary>The first field (the inputs).</summary>
    public Tensor X => _tensors[0];

    /// <summary>The second field (the targets).</summary>
    public Tensor Y => _tensors.Length > 1 ? _tensors[1]
        : throw new InvalidOperationException("Batch.Y: this batch has a single field; its dataset has no targets.");

    /// <summary>Deconstructs into inputs and targets.</summary>
    public void Deconstruct(out Tensor x, out Tensor y)
    {
        x = X;
        y = Y;
    }
}
