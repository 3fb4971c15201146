using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>Concatenates tensors along an existing dim (like <c>torch.cat</c>); other dims must match.</summary>
    public static Tensor Cat(IReadOnlyList<Tensor> tensors, int dim = 0) => CatOp.Apply(tensors, dim);

    /// <summary>Stacks same-shaped tensors along a new dim (like <c>torch.stack</c>).</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> tensors, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Count == 0)
            throw new ArgumentException("Stack: expected a non-empty list of tensors.");
        var first = tensors[0];
        int d = ShapeUtil.NormalizeDim(dim, first.Rank + 1, "Stack");
        var parts = new Tensor[tensors.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            var t = tensors[i];
            if (!ShapeUtil.SameShape(t.ShapeArray, first.ShapeArray))
                throw new ArgumentException($"Stack: expected all tensors to have the same shape, but tensor 0 has shape {ShapeUtil.Format(first.ShapeArray)} and tensor {i} has shape {ShapeUtil.Format(t.ShapeArray)}.");
            parts[i] = t.Unsqueeze(d);
        }
        return CatOp.Apply(parts, d);
    }

    /// <summary>
    /// Values along <paramref name="dim"/> picked by an Int64 <paramref name="index"/> of the same rank (like
    /// <c>torch.gather</c>): <c>out[i][j] = this[index[i][j]][j]</c> for dim 0. The result has the index's shape.
    /// </summary>
    public Tensor Gather(int dim, Tensor index) => GatherOp.Apply(this, dim, index);

    /// <summary>The entries of <paramref name="dim"/> listed by a 1-D Int64 <paramref name="index"/> (like <c>torch.index_select</c>).</summary>
    public Tensor IndexSelect(int dim, Tensor index) => IndexSelectOp.Apply(this, dim, index);

    /// <summary>
    /// One-hot encoding of Int64 <paramref name="labels"/>: an Int64 tensor of shape [..., numClasses] (like
    /// <c>F.one_hot</c>); <paramref name="numClasses"/> −1 infers max + 1.
    /// </summary>
    public static Tensor OneHot(Tensor labels, int numClasses = -1) => Ops.OneHot.Apply(labels, numClasses);

    /// <summary>
    /// Coordinate grids of 0-d or 1-D tensors (like <c>torch.meshgrid</c>): for inputs of n₁ … n_k elements, k
    /// tensors of shape [n₁, …, n_k] where output i repeats input i along dim i. With <paramref name="indexing"/>
    /// "xy" the first two dims are swapped ([n₂, n₁, …], Cartesian order for plotting). The outputs are expanded
    /// views (no copy) and differentiable.
    /// </summary>
    /// <param name="tensors">The coordinates, of one dtype and device.</param>
    /// <param name="indexing">"ij" (matrix indexing, the default) or "xy".</param>
    public static Tensor[] Meshgrid(Tensor[] tensors, string indexing = "ij") => Ops.Meshgrid.Apply(tensors, indexing);
}
