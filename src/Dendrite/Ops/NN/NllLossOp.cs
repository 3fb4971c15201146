using Dendrite.Autograd;
using Dendrite.NN;

namespace Dendrite.Ops;

/// <summary>
/// Negative log-likelihood over log-probabilities [M, C] and class labels [M]: loss_i = −w_y·lp[i, y]
/// (0 for ignored rows); Mean divides the total by Σ w_y over the kept rows. Backward: dlp[i, y] = −s·w_y.
/// The backward's state (labels, weights, denominator) stays on the device as tensors, as in <see cref="CrossEntropyOp"/>.
/// </summary>
internal sealed class NllLossOp : GradFn
{
    private Tensor? _labels;
    private Tensor? _weight;
    private Tensor? _denominator;
    private long _ignoreIndex;
    private int[] _shape = [];

    public override string Name => "NllLossBackward";

    /// <summary>logProbs [M, C], labels Int64 [M] on its device (validated); returns [M] (None) or a scalar.</summary>
    public static Tensor Apply(Tensor logProbs, Tensor labels, Tensor? weight, long ignoreIndex, Reduction reduction)
    {
        int m = logProbs.ShapeArray[0], c = logProbs.ShapeArray[1];
        var backend = logProbs.Backend;
        var w = weight?.Detach().To(DType.Float64).Dense();
        var lp = logProbs.Dense();
        var perRow = Tensor.Allocate([m], DType.Float64, false, backend);
        backend.NllLoss(lp.Raw, labels.Raw, w?.Raw, m, c, ignoreIndex, perRow.Raw);
        var (output, denominator) = ClassLoss.Reduce(perRow, labels, w, ignoreIndex, reduction, logProbs.DType);
        if (!ShouldRecord(logProbs))
            return output;
        var fn = new NllLossOp { _labels = labels, _weight = w, _denominator = denominator, _ignoreIndex = ignoreIndex, _shape = [m, c] };
        return Record(fn, output, logProbs);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var g = gradOutput.Dense();
        // The kernel overwrites every element (zero off the labels).
        var d = Tensor.Allocate((int[])_shape.Clone(), gradOutput.DType, false, g.Backend);
        g.Backend.NllLossBackward(_labels!.Raw, _weight?.Raw, g.Raw, _denominator?.Raw, _shape[0], _shape[1], _ignoreIndex, d.Raw);
        return [d];
    }

    protected override void ReleaseState() => _labels = null;
}
