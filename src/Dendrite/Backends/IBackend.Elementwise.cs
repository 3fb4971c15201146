namespace Dendrite.Backends;

internal partial interface IBackend
{
    /// <summary>y = f(x) for dense floating <paramref name="x"/> and <paramref name="y"/> of the same size and dtype.</summary>
    void Unary(UnaryOp op, StorageView x, StorageView y);

    /// <summary>
    /// dx = g·f′ for dense same-sized operands, where <paramref name="saved"/> is what <see cref="UnaryOp.SavesOutput"/>
    /// says the op keeps (its output y or its input x).
    /// </summary>
    void UnaryBackward(UnaryOp op, StorageView g, StorageView saved, StorageView dx);

    /// <summary>
    /// y = a ∘ b with NumPy broadcasting: <paramref name="a"/> and <paramref name="b"/> (any layout, y's floating dtype)
    /// broadcast to dense <paramref name="y"/>'s shape. <paramref name="y"/> may be the same view as <paramref name="a"/>
    /// (an in-place update).
    /// </summary>
    void Binary(BinaryKind op, StorageView a, StorageView b, StorageView y);

    /// <summary>y = a ⋈ b as Bool, a and b of one dtype (Float32, Float64 or Int64) broadcast to dense <paramref name="y"/>'s shape.</summary>
    void Compare(CompareKind op, StorageView a, StorageView b, StorageView y);

    /// <summary>y = condition ? a : b, all three broadcast to dense <paramref name="y"/>'s shape; a and b have y's dtype.</summary>
    void Where(StorageView condition, StorageView a, StorageView b, StorageView y);
}
