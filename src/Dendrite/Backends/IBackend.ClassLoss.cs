namespace Dendrite.Backends;

// Class-index losses see dense scores [M, C] in a floating dtype, dense Int64 labels [M] (already validated: each in
// [0, C) or the ignore index), optional class weights as dense Float64 [C], and per-row losses as dense Float64 [M].
// A row whose label is the ignore index contributes nothing and gets a zero gradient. The backward kernels scale row i
// by s_i = gy[i] (no reduction: gy [M]) or s_i = gy[0]/denominator[0] (reduced: gy 0-d, denominator Float64 0-d),
// read on the device.
internal partial interface IBackend
{
    /// <summary>
    /// The position and value of the first label (Int64, any layout) that is neither in [0, <paramref name="classes"/>)
    /// nor <paramref name="ignoreIndex"/>, or null; reads back to the host.
    /// </summary>
    (long Position, long Value)? FindInvalidLabel(StorageView labels, long classes, long ignoreIndex);

    /// <summary>
    /// Fused log-softmax + NLL per row with label y and label smoothing ε: lse_i = log Σ_c exp(z_ic) (Float64 [M]) and
    /// perRow_i = (1 − ε)·w_y·(lse_i − z_iy) + (ε/C)·Σ_c w_c·(lse_i − z_ic), w = 1 without weights.
    /// </summary>
    void CrossEntropy(StorageView logits, StorageView labels, StorageView? weight, int m, int c, double smoothing, long ignoreIndex,
        StorageView lse, StorageView perRow);

    /// <summary>
    /// dLogits [M, C] (overwritten, logits' dtype) with p_ij = exp(z_ij − lse_i) and gy in the logits' dtype:
    /// dz_ij = s_i·(p_ij·((1 − ε)·w_y + (ε/C)·Σ_c w_c) − (1 − ε)·w_y·[j = y] − (ε/C)·w_j).
    /// </summary>
    void CrossEntropyBackward(StorageView logits, StorageView labels, StorageView? weight, StorageView lse, StorageView gy,
        StorageView? denominator, int m, int c, double smoothing, long ignoreIndex, StorageView dLogits);

    /// <summary>perRow_i = −w_y·logProbs[i, y] in float64.</summary>
    void NllLoss(StorageView logProbs, StorageView labels, StorageView? weight, int m, int c, long ignoreIndex, StorageView perRow);

    /// <summary>dLogProbs [M, C] (overwritten, gy's dtype): −s_i·w_y at [i, y], zero elsewhere.</summary>
    void NllLossBackward(StorageView labels, StorageView? weight, StorageView gy, StorageView? denominator, int m, int c,
        long ignoreIndex, StorageView dLogProbs);

    /// <summary>
    /// A reduced class loss: <paramref name="denominator"/> (Float64 0-d) = Σ w_y over the kept rows in
    /// <paramref name="mean"/> mode, else 1; <paramref name="output"/> (0-d, floating) = (Σ_i perRow_i)/denominator.
    /// </summary>
    void ReduceClassLoss(StorageView perRow, StorageView labels, StorageView? weight, long ignoreIndex, bool mean,
        StorageView output, StorageView denominator);
}
