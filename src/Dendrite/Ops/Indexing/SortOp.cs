using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// torch.sort along one dim: values and Int64 source positions, stable, NaN as the largest value. The values are
/// x gathered at the indices, so backward scatter-adds the gradient back to those positions (a permutation of each
/// line, so every input element receives exactly one gradient element).
/// </summary>
internal sealed class SortOp : GradFn
{
    private int[] _inputShape = [];
    private int _dim;

    public override string Name => "SortBackward";

    public static (Tensor Values, Tensor Indices) Apply(Tensor x, int dim, bool descending, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0)
        {
            // One element: itself at position 0 (dim must be 0 or −1, as PyTorch).
            ShapeUtil.NormalizeDim(dim, 1, op);
            var (v, i) = Apply(x.Reshape(1), 0, descending, op);
            return (v.Reshape([]), i.Reshape([]));
        }
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, op);
        var src = x.Dense();
        var (outer, size, inner) = Reduce.Split(x.ShapeArray, d);
        var values = Tensor.Allocate((int[])x.ShapeArray.Clone(), x.DType, false, x.Backend);
        var indices = Tensor.Allocate((int[])x.ShapeArray.Clone(), DType.Int64, false, x.Backend);
        x.Backend.Sort(src.Raw, outer, size, inner, descending, values.Raw, indices.Raw);
        if (!ShouldRecord(x))
            return (values, indices);
        var fn = new SortOp { _inputShape = x.ShapeArray, _dim = d };
        fn.Save(indices);
        return (Record(fn, values, x), indices);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        // gx[…, indices[…, j, …], …] = g[…, j, …]
        var indices = Saved(0);
        var gd = g.Dense();
        var gx = Tensor.Allocate(_inputShape, g.DType, true, g.Backend);
        g.Backend.ScatterAdd(gd.Raw, indices.Raw, _dim, gx.Raw);
        return [gx];
    }
}
