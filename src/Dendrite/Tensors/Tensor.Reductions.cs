using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>Sum of all elements (Bool and Int64 sum to Int64).</summary>
    public Tensor Sum() => SumOp.Apply(this, null, false);

    /// <summary>Sum over <paramref name="dim"/>.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => SumOp.Apply(this, [dim], keepDim);

    /// <summary>Sum over several dims.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false) => SumOp.Apply(this, dims, keepDim);

    /// <summary>Mean of all elements.</summary>
    public Tensor Mean() => SumOp.Apply(this, null, false, mean: true);

    /// <summary>Mean over <paramref name="dim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => SumOp.Apply(this, [dim], keepDim, mean: true);

    /// <summary>Mean over several dims.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false) => SumOp.Apply(this, dims, keepDim, mean: true);
}
