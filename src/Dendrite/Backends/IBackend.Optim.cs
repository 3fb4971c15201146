namespace Dendrite.Backends;

// Fused optimizer updates: one pass over a parameter, its gradient and its state buffers, all dense views of the
// parameter's floating dtype and size, updated in place. Hyper-parameters arrive as doubles; a backend rounds each to
// the dtype once (as PyTorch does with a Python float) before the loop.
internal partial interface IBackend
{
    /// <summary>
    /// SGD (PyTorch 1.13): d = g + λp; with momentum b = d on the first step, else b = μb + (1 − τ)d, and
    /// d = d + μb (Nesterov) or b; p = p − lr·d. <paramref name="momentumBuffer"/> is given exactly when μ ≠ 0.
    /// </summary>
    void SgdStep(StorageView p, StorageView g, StorageView? momentumBuffer, SgdHyper h);

    /// <summary>
    /// Adam / AdamW (PyTorch 1.13): p = p·decay; d = g + l2·p; m = β₁m + (1 − β₁)d; v = β₂v + (1 − β₂)d²;
    /// v̂ = max(vmax, v) with <paramref name="maxExpAvgSq"/> (amsgrad), else v; p = p + negStep·m / (√v̂ / √bc₂ + ε).
    /// </summary>
    void AdamStep(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, StorageView? maxExpAvgSq, AdamHyper h);

    /// <summary>
    /// RMSprop (PyTorch 1.13): d = g + λp; v = αv + (1 − α)d²; with <paramref name="gradAvg"/> (centered)
    /// m = αm + (1 − α)d and denom = √(v − m²) + ε, else √v + ε; with <paramref name="momentumBuffer"/>
    /// b = μb + d/denom and p = p − lr·b, else p = p − lr·d/denom.
    /// </summary>
    void RmspropStep(StorageView p, StorageView g, StorageView squareAvg, StorageView? momentumBuffer, StorageView? gradAvg, RmspropHyper h);

    /// <summary>Adagrad (PyTorch 1.13): d = g + λp; s = s + d²; p = p − clr·d / (√s + ε).</summary>
    void AdagradStep(StorageView p, StorageView g, StorageView sum, double clr, double weightDecay, double eps);

    /// <summary>
    /// Adadelta (PyTorch 1.13): d = g + λp; v = ρv + (1 − ρ)d²; Δ = √(u + ε) / √(v + ε) · d; u = ρu + (1 − ρ)Δ²;
    /// p = p − lr·Δ (v: <paramref name="squareAvg"/>, u: <paramref name="accDelta"/>).
    /// </summary>
    void AdadeltaStep(StorageView p, StorageView g, StorageView squareAvg, StorageView accDelta, AdadeltaHyper h);

    /// <summary>
    /// Adamax (PyTorch 1.13): d = g + λp; m = β₁m + (1 − β₁)d; u = max(β₂u, |d| + ε) (NaN propagates);
    /// p = p + negClr·m / u with negClr = −lr / (1 − β₁ᵗ) (u: <paramref name="expInf"/>).
    /// </summary>
    void AdamaxStep(StorageView p, StorageView g, StorageView expAvg, StorageView expInf, AdamaxHyper h);

    /// <summary>
    /// NAdam (PyTorch 1.13): d = g + λp; m = β₁m + (1 − β₁)d; v = β₂v + (1 − β₂)d²; denom = √(v / bc₂) + ε;
    /// p = p + gradCoef·d / denom, then p = p + avgCoef·m / denom (the two coefficients carry lr and the momentum
    /// schedule, see <see cref="NAdamHyper"/>).
    /// </summary>
    void NAdamStep(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, NAdamHyper h);

    /// <summary>
    /// <paramref name="total"/> (one Float64 element) = the <paramref name="normType"/>-norm of all
    /// <paramref name="xs"/> (dense, floating, possibly of both dtypes) taken as one vector: each x's norm accumulated
    /// in double, then (Σ‖x‖ᵖ)^(1/p), or the largest magnitude for p = ∞ (clip_grad_norm_'s total norm).
    /// </summary>
    void TotalNorm(StorageView[] xs, double normType, StorageView total);

    /// <summary>
    /// x ·= c with c = maxNorm / (total + 1e-6) (computed in double, rounded to x's dtype) for every dense floating x in
    /// <paramref name="xs"/>, only when c &lt; 1: a larger or NaN coefficient leaves every x unchanged.
    /// <paramref name="total"/> is one Float64 element from <see cref="TotalNorm"/>.
    /// </summary>
    void ScaleToNorm(StorageView[] xs, StorageView total, double maxNorm);
}

/// <summary>The hyper-parameters of <see cref="IBackend.SgdStep"/>; <see cref="First"/> marks the step that creates the momentum buffer.</summary>
internal readonly record struct SgdHyper(double Lr, double Momentum, double Dampening, double WeightDecay, bool Nesterov, bool First);

/// <summary>
/// The per-step values of <see cref="IBackend.AdamStep"/>: <see cref="Decay"/> = 1 − lr·λ (AdamW) or 1, <see cref="L2"/>
/// = λ (Adam) or 0, <see cref="NegStepSize"/> = −lr / (1 − β₁ᵗ), <see cref="Bc2Sqrt"/> = √(1 − β₂ᵗ).
/// </summary>
internal readonly record struct AdamHyper(double Decay, double L2, double Beta1, double Beta2, double NegStepSize, double Bc2Sqrt, double Eps);

/// <summary>The hyper-parameters of <see cref="IBackend.RmspropStep"/> (centered and momentum are given by the optional buffers).</summary>
internal readonly record struct RmspropHyper(double Lr, double Alpha, double Eps, double WeightDecay, double Momentum);

/// <summary>The hyper-parameters of <see cref="IBackend.AdadeltaStep"/>.</summary>
internal readonly record struct AdadeltaHyper(double Lr, double Rho, double Eps, double WeightDecay);

/// <summary>The per-step values of <see cref="IBackend.AdamaxStep"/>: <see cref="NegClr"/> = −lr / (1 − β₁ᵗ).</summary>
internal readonly record struct AdamaxHyper(double NegClr, double Beta1, double Beta2, double Eps, double WeightDecay);

/// <summary>
/// The per-step values of <see cref="IBackend.NAdamStep"/>: <see cref="Bc2"/> = 1 − β₂ᵗ, <see cref="GradCoef"/> =
/// −lr·(1 − μ_t) / (1 − Πμ), <see cref="AvgCoef"/> = −lr·μ_{t+1} / (1 − Πμ_next).
/// </summary>
internal readonly record struct NAdamHyper(double Beta1, double Beta2, double Eps, double WeightDecay, double Bc2, double GradCoef, double AvgCoef);
