using Dendrite.Autograd;
using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>
    /// The elements of every line along <paramref name="dim"/> in ascending (or <paramref name="descending"/>) order,
    /// with the Int64 positions they came from (like <c>torch.sort</c>): <c>Values[…, j, …] = this[…, Indices[…, j, …], …]</c>.
    /// Equal elements keep their input order; NaN counts as larger than every number (last ascending, first
    /// descending). The values are differentiable (the gradient flows back to the positions they came from).
    /// </summary>
    /// <param name="dim">The dim to sort along (negative counts from the end).</param>
    /// <param name="descending">Largest first.</param>
    /// <param name="stable">
    /// PyTorch's flag; Dendrite's sort is always stable, so false gives the same (valid) result.
    /// </param>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false, bool stable = true) =>
        SortOp.Apply(this, dim, descending, "Sort");

    /// <summary>
    /// The Int64 positions that sort every line along <paramref name="dim"/> (like <c>torch.argsort</c>): the
    /// <see cref="Sort"/> indices, with the same stability and NaN order.
    /// </summary>
    /// <param name="dim">The dim to sort along (negative counts from the end).</param>
    /// <param name="descending">Largest first.</param>
    /// <param name="stable">PyTorch's flag; the order is always stable.</param>
    public Tensor ArgSort(int dim = -1, bool descending = false, bool stable = true)
    {
        using var _ = Autograd.Autograd.NoGrad();
        return SortOp.Apply(this, dim, descending, "ArgSort").Indices;
    }
}
