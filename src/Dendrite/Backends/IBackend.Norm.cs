namespace Dendrite.Backends;

// Batch norm sees dense x as [N, C, S] (S = the elements of one channel of one sample) with per-channel statistics as
// dense Float64 [C]; layer norm sees dense x as [rows, D] with per-row statistics as dense [rows] in x's dtype.
internal partial interface IBackend
{
    /// <summary>
    /// Per channel c over its N·S elements: mean_c and the biased variance Σ(x − mean_c)²/(N·S), accumulated in x's
    /// dtype (mean first, then the squared deviations), into Float64 <paramref name="mean"/> and <paramref name="variance"/>.
    /// </summary>
    void BatchNormStatistics(StorageView x, int n, int c, int s, StorageView mean, StorageView variance);

    /// <summary>
    /// y = x·a_c + b_c per channel, with a_c = invStd_c·γ_c and b_c = β_c − mean_c·a_c computed in float64 and rounded
    /// to x's dtype; γ (default 1) and β (default 0) are optional Float64 [C].
    /// </summary>
    void BatchNorm(StorageView x, int n, int c, int s, StorageView mean, StorageView invStd, StorageView? gamma, StorageView? beta,
        StorageView y);

    /// <summary>
    /// Batch-norm backward from gy (x's shape and dtype). Per channel, accumulated in x's dtype into Float64 [C]:
    /// sumG_c = Σ gy and sumGxhat_c = Σ gy·(x − mean_c)·invStd_c. When <paramref name="dx"/> is given it is overwritten
    /// with a·gy + b·x + d, a = γ_c·invStd_c and, in <paramref name="training"/> mode (M = N·S),
    /// b = −a·invStd_c·sumGxhat_c/M, d = −a·sumG_c/M − b·mean_c; in evaluation b = d = 0.
    /// </summary>
    void BatchNormBackward(StorageView x, StorageView gy, int n, int c, int s, StorageView mean, StorageView invStd,
        StorageView? gamma, bool training, StorageView sumG, StorageView sumGxhat, StorageView? dx);

    /// <summary>
    /// Per row r of x [rows, d]: mean_r, invStd_r = 1/√(biased variance + eps) (both in x's dtype, into [rows]) and
    /// y = (x − mean_r)·invStd_r·γ + β, with γ and β optional dense [d] in x's dtype.
    /// </summary>
    void LayerNorm(StorageView x, StorageView? gamma, StorageView? beta, int rows, int d, double eps, StorageView y,
        StorageView mean, StorageView invStd);

    /// <summary>
    /// Layer-norm backward from gy with x̂ = (x − mean_r)·invStd_r and ĝ = gy·γ: dx = invStd_r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),
    /// dGamma = Σ_rows gy·x̂, dBeta = Σ_rows gy; each overwritten, each null when not needed.
    /// </summary>
    void LayerNormBackward(StorageView x, StorageView gy, StorageView? gamma, StorageView mean, StorageView invStd, int rows, int d,
        StorageView? dx, StorageView? dGamma, StorageView? dBeta);
}
