using System.Collections;

namespace Dendrite;

/// <summary>
/// A read-only view of a tensor's sizes or strides that prints like PyTorch's <c>torch.Size</c> (<c>[2, 3]</c>)
/// rather than as an array type name.
/// </summary>
internal sealed class ShapeView(int[] values) : IReadOnlyList<int>
{
    public int this[int index] => values[index];

    public int Count => values.Length;

    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => values.GetEnumerator();

    public override string ToString() => ShapeUtil.Format(values);
}
