using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>Softmax over <paramref name="dim"/>, computed stably (each slice shifted by its maximum).</summary>
    public Tensor Softmax(int dim) => SoftmaxOp.Apply(this, dim, log: false);

    /// <summary>log(softmax(x)) over <paramref name="dim"/>, computed directly and stably.</summary>
    public Tensor LogSoftmax(int dim) => SoftmaxOp.Apply(this, dim, log: true);

    /// <summary>log Σ exp(x) over <paramref name="dim"/>, computed stably.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExpOp.Apply(this, dim, keepDim);
}
