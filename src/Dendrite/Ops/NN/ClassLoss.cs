using Dendrite.NN;

namespace Dendrite.Ops;

/// <summary>The reduction shared by the class-index losses (cross-entropy, NLL), computed on the losses' device.</summary>
internal static class ClassLoss
{
    /// <summary>
    /// The loss for <paramref name="reduction"/> from per-row losses (Float64 [M]) in <paramref name="dtype"/>: the rows
    /// themselves (None) or their sum divided by a denominator, Σ w_y over the kept rows (Mean) or 1 (Sum). The
    /// denominator (Float64 0-d) is returned for the backward; null for None.
    /// </summary>
    public static (Tensor Output, Tensor? Denominator) Reduce(Tensor perRow, Tensor labels, Tensor? weight, long ignoreIndex,
        Reduction reduction, DType dtype)
    {
        if (reduction == Reduction.None)
            return (perRow.To(dtype), null);
        var backend = perRow.Backend;
        var output = Tensor.Allocate([], dtype, false, backend);
        var denominator = Tensor.Allocate([], DType.Float64, false, backend);
        backend.ReduceClassLoss(perRow.Raw, labels.Raw, weight?.Raw, ignoreIndex, reduction == Reduction.Mean, output.Raw, denominator.Raw);
        return (output, denominator);
    }
}
