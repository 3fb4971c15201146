using Dendrite.Autograd;
using Dendrite.NN;

namespace Dendrite.Ops;

/// <summary>
/// Fused, numerically stable log-softmax + negative log-likelihood over logits [M, C] and class labels [M],
/// with optional class weights w, label smoothing ε and an ignored label. Per row with label y and
/// log p = z − logsumexp(z): loss = (1 − ε)·w_y·(−log p_y) + (ε/C)·Σ_c w_c·(−log p_c) (0 for ignored rows);
/// Mean divides the total by Σ w_y over the kept rows (PyTorch's weighted mean).
/// Backward: dz_j = s·(p_j·((1 − ε)·w_y + (ε/C)·Σ_c w_c) − (1 − ε)·w_y·[j = y] − (ε/C)·w_j), s the row's scale.
/// </summary>
/// <remarks>
/// State for the backward, all on the logits' device: the labels (Int64 [M]), the rows' log-sum-exp (Float64 [M]),
/// the weights (Float64 [C]) and, for a reduced loss, its denominator (Float64 0-d), so the backward reads no value
/// on the host.
/// </remarks>
internal sealed class CrossEntropyOp : GradFn
{
    private Tensor? _labels;
    private Tensor? _lse;
    private Tensor? _weight;
    private Tensor? _denominator;
    private double _smoothing;
    private long _ignoreIndex;

    public override string Name => "CrossEntropyLossBackward";

    /// <summary>logits [M, C], labels Int64 [M] on the logits' device (validated); returns [M] (None) or a scalar.</summary>
    public static Tensor Apply(Tensor logits, Tensor labels, Tensor? weight, double labelSmoothing, long ignoreIndex, Reduction reduction)
    {
        int m = logits.ShapeArray[0], c = logits.ShapeArray[1];
        var backend = logits.Backend;
        var w = weight?.Detach().To(DType.Float64).Dense();
        var lc = logits.Dense();
        var lse = Tensor.Allocate([m], DType.Float64, false, backend);
        var perRow = Tensor.Allocate([m], DType.Float64, false, backend);
        backend.CrossEntropy(lc.Raw, labels.Raw, w?.Raw, m, c, labelSmoothing, ignoreIndex, lse.Raw, perRow.Raw);
        var (output, denominator) = ClassLoss.Reduce(perRow, labels, w, ignoreIndex, reduction, logits.DType);
        if (!ShouldRecord(logits))
            return output;
        var fn = new CrossEntropyOp
        {
            _labels = labels, _lse = lse, _weight = w, _denominator = denominator, _smoothing = labelSmoothing, _ignoreIndex = ignoreIndex,
        };
        fn.Save(lc);
        return Record(fn, output, logits);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var z = Saved(0);
        int m = z.ShapeArray[0], c = z.ShapeArray[1];
        // One value for a reduced loss, one per row otherwise, read by the kernel on the device.
        var g = (gradOutput.DType == z.DType ? gradOutput : gradOutput.To(z.DType)).Dense();
        var dz = Tensor.AllocateLike(z, z.DType, false);
        z.Backend.CrossEntropyBackward(z.Raw, _labels!.Raw, _weight?.Raw, _lse!.Raw, g.Raw, _denominator?.Raw, m, c, _smoothing,
            _ignoreIndex, dz.Raw);
        return [dz];
    }

    protected override void ReleaseState()
    {
        _labels = null;
        _lse = null;
    }
}
