using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>Matrix product like <c>torch.matmul</c>: 1-D·1-D is a dot product, 2-D·2-D a matrix product, and N-D operands are batched with broadcast batch dims.</summary>
    public Tensor MatMul(Tensor other)
    {
        if (Rank == 0 || other.Rank == 0)
            throw new ArgumentException($"MatMul: both arguments need at least 1 dimension, got shapes {ShapeUtil.Format(ShapeArray)} and {ShapeUtil.Format(other.ShapeArray)}.");
        var a = Rank == 1 ? Unsqueeze(0) : this;
        var b = other.Rank == 1 ? other.Unsqueeze(-1) : other;
        if (Rank == 1 && other.Rank == 1 && ShapeArray[0] != other.ShapeArray[0])
            throw new ArgumentException($"MatMul: cannot take the dot product of shapes {ShapeUtil.Format(ShapeArray)} and {ShapeUtil.Format(other.ShapeArray)}: sizes {ShapeArray[0]} and {other.ShapeArray[0]} differ.");
        var y = MatMulOp.Apply(a, b);
        if (other.Rank == 1)
            y = y.Squeeze(-1);
        if (Rank == 1)
            y = y.Squeeze(other.Rank == 1 ? -1 : -2);
        return y;
    }

    /// <summary>x·Wᵀ + b for weight [out, in] and optional bias [out] (like <c>F.linear</c>).</summary>
    public Tensor Linear(Tensor weight, Tensor? bias = null) => LinearOp.Apply(this, weight, bias);
}
