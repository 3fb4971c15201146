namespace Dendrite.Backends;

/// <summary>Which map an elementwise loss kernel computes: the loss itself, or the incoming gradient times one of its partial derivatives.</summary>
internal enum LossPart
{
    /// <summary>The elementwise loss.</summary>
    Value,

    /// <summary>gy·∂loss/∂input.</summary>
    GradInput,

    /// <summary>gy·∂loss/∂target.</summary>
    GradTarget,

    /// <summary>gy·∂loss/∂posWeight (BCE with logits only).</summary>
    GradPosWeight,
}

// Elementwise losses see dense, same-shaped operands of one floating dtype; gy (the output gradient) is null for Value.
internal partial interface IBackend
{
    /// <summary>
    /// Binary cross-entropy of probabilities x against targets t, with the logs clamped to ≥ −100:
    /// Value −(t·max(log x, −100) + (1 − t)·max(log(1 − x), −100)); GradInput gy·(x − t)/max(x·(1 − x), 1e-12);
    /// GradTarget gy·(max(log(1 − x), −100) − max(log x, −100)).
    /// </summary>
    void BinaryCrossEntropy(LossPart part, StorageView x, StorageView t, StorageView? gy, StorageView y);

    /// <summary>
    /// The position and value of the first element of dense floating x outside [0, 1] (NaN included), or null; reads
    /// back to the host.
    /// </summary>
    (long Position, double Value)? FindNonProbability(StorageView x);

    /// <summary>
    /// Binary cross-entropy on logits x with targets t and an optional positive-class weight pw (x's shape), with
    /// sp = log(1 + e^(−x)) computed stably: Value (1 − t)·x + (1 + (pw − 1)·t)·sp;
    /// GradInput gy·((1 − t) − (1 + (pw − 1)·t)·σ(−x)); GradTarget gy·(−x + (pw − 1)·sp); GradPosWeight gy·t·sp.
    /// </summary>
    void BceWithLogits(LossPart part, StorageView x, StorageView t, StorageView? posWeight, StorageView? gy, StorageView y);

    /// <summary>
    /// Huber loss of d = x − t: Value ½d² where |d| &lt; delta, else delta·(|d| − ½delta); GradInput gy·clip(d, −delta, delta).
    /// </summary>
    void HuberLoss(LossPart part, StorageView x, StorageView t, StorageView? gy, double delta, StorageView y);

    /// <summary>diff = x − t and the 0-d <paramref name="loss"/> = Σ diff² · (1/N), for N ≥ 1 elements.</summary>
    void MseLoss(StorageView x, StorageView t, StorageView diff, StorageView loss);

    /// <summary>gx = c·(2·diff) with c = gy[0]·(1/N) rounded once to the dtype; gy is 0-d in diff's dtype.</summary>
    void MseLossBackward(StorageView diff, StorageView gy, StorageView gx);
}
