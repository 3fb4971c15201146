using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>The largest element as a 0-d tensor; the gradient goes to the (first) largest element.</summary>
    public Tensor Max() => MaxAllOp.Apply(this, min: false);

    /// <summary>The smallest element as a 0-d tensor; the gradient goes to the (first) smallest element.</summary>
    public Tensor Min() => MaxAllOp.Apply(this, min: true);

    /// <summary>
    /// The maxima over <paramref name="dim"/> and their Int64 indices (first occurrence; NaN counts as largest).
    /// Values are differentiable; the gradient goes to the arg-max positions.
    /// </summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => MaxDimOp.Apply(this, dim, keepDim, min: false);

    /// <summary>The minima over <paramref name="dim"/> and their Int64 indices (first occurrence).</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => MaxDimOp.Apply(this, dim, keepDim, min: true);

    /// <summary>Int64 index of the maximum over <paramref name="dim"/>, or in the flattened tensor when it is null.</summary>
    public Tensor ArgMax(int? dim = null, bool keepDim = false) => ArgExtreme.Indices(this, dim, keepDim, min: false);

    /// <summary>Int64 index of the minimum over <paramref name="dim"/>, or in the flattened tensor when it is null.</summary>
    public Tensor ArgMin(int? dim = null, bool keepDim = false) => ArgExtreme.Indices(this, dim, keepDim, min: true);

    /// <summary>
    /// Variance over <paramref name="dims"/> (null: all), dividing by N − 1 when <paramref name="unbiased"/>, else N.
    /// </summary>
    public Tensor Var(int[]? dims = null, bool unbiased = true, bool keepDim = false) => VarOp.Apply(this, dims, unbiased, keepDim);

    /// <summary>Variance over one dim.</summary>
    public Tensor Var(int dim, bool unbiased = true, bool keepDim = false) => VarOp.Apply(this, [dim], unbiased, keepDim);

    /// <summary>Standard deviation (the square root of <see cref="Var(int[], bool, bool)"/>).</summary>
    public Tensor Std(int[]? dims = null, bool unbiased = true, bool keepDim = false) => VarOp.Apply(this, dims, unbiased, keepDim).Sqrt();

    /// <summary>Standard deviation over one dim.</summary>
    public Tensor Std(int dim, bool unbiased = true, bool keepDim = false) => VarOp.Apply(this, [dim], unbiased, keepDim).Sqrt();
}
