using Dendrite.Autograd;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Reorders dims as a view; the gradient is permuted by the inverse order.</summary>
internal sealed class PermuteOp : GradFn
{
    private int[] _inverse = [];

    public override string Name => "PermuteBackward";

    public static Tensor Apply(Tensor x, ReadOnlySpan<int> dims, string op = "Permute")
    {
        int rank = x.Rank;
        if (dims.Length != rank)
            throw new ArgumentException($"{op}: the number of dims ({dims.Length}) does not match the tensor's rank {rank} (shape {ShapeUtil.Format(x.ShapeArray)}).");
        var perm = new int[rank];
        var inverse = new int[rank];
        var seen = new bool[rank];
        for (int i = 0; i < rank; i++)
        {
            int d = ShapeUtil.NormalizeDim(dims[i], rank, op);
            if (seen[d])
                throw new ArgumentException($"{op}: dimension {d} repeats in dims {ShapeUtil.Format(dims)}.");
            seen[d] = true;
            perm[i] = d;
            inverse[d] = i;
        }
        var shape = new int[rank];
        var strides = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = x.ShapeArray[perm[i]];
            strides[i] = x.StrideArray[perm[i]];
        }
        var y = new Tensor(x.Storage, shape, strides, x.Offset);
        if (OpTrace.IsActive)
            OpTrace.Record("Permute", y, x).With("dims", perm);
        return ShouldRecord(x) ? Record(new PermuteOp { _inverse = inverse }, y, x) : y;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.Permute(_inverse)];
}
