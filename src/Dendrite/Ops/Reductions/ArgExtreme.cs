using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>Shared forward of max/min and argmax/argmin over one dim: values and Int64 indices of the first extreme.</summary>
internal static class ArgExtreme
{
    /// <summary>
    /// Max (or min) of <paramref name="x"/> over normalized dim <paramref name="d"/>; integer and bool inputs are
    /// compared as Float64 (exact below 2⁵³) and their values converted back.
    /// </summary>
    public static (Tensor Values, Tensor Indices) Compute(Tensor x, int d, bool keepDim, bool min, string op)
    {
        var (outer, r, inner) = Reduce.Split(x.ShapeArray, d);
        if (r == 0)
            throw new ArgumentException($"{op}: cannot reduce dimension {d} of size 0 (shape {ShapeUtil.Format(x.ShapeArray)}): an empty set has no {(min ? "minimum" : "maximum")}.");
        var src = x.DType.IsFloatingPoint() ? x : ConvertOp.Apply(x.Detach(), DType.Float64);
        src = src.Dense();
        var shape = Reduce.ReducedShape(x.ShapeArray, d, keepDim);
        var values = Tensor.Allocate(shape, src.DType, false, x.Backend);
        var indices = Tensor.Allocate((int[])shape.Clone(), DType.Int64, false, x.Backend);
        x.Backend.ArgExtreme(src.Raw, outer, r, inner, values.Raw, indices.Raw, !min);
        if (values.DType != x.DType)
            values = ConvertOp.Apply(values, x.DType);
        return (values, indices);
    }

    /// <summary>argmax/argmin over <paramref name="dim"/>, or over the flattened tensor when it is null.</summary>
    public static Tensor Indices(Tensor x, int? dim, bool keepDim, bool min)
    {
        string op = min ? "ArgMin" : "ArgMax";
        if (dim is int dd)
        {
            int d = ShapeUtil.NormalizeDim(dd, x.Rank, op);
            var indices = Compute(x, d, keepDim, min, op).Indices;
            if (OpTrace.IsActive)
                OpTrace.Record(op, indices, x).With("dim", d).With("keepDim", keepDim);
            return indices;
        }
        if (x.Numel == 0)
            throw new ArgumentException($"{op}: cannot reduce an empty tensor (shape {ShapeUtil.Format(x.ShapeArray)}).");
        var flat = x.Detach().Reshape(x.Numel);
        var index = Compute(flat, 0, false, min, op).Indices;
        if (keepDim)
        {
            var ones = new int[x.Rank];
            Array.Fill(ones, 1);
            index = index.Reshape(ones);
        }
        if (OpTrace.IsActive)
            OpTrace.Record(op, index, x).With("keepDim", keepDim);
        return index;
    }
}
