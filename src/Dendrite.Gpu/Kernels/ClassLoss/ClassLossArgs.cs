namespace Dendrite.Gpu.Kernels.ClassLoss;

/// <summary>
/// The scalar arguments of the class-loss kernels, passed by value: scores [Rows, Classes], the ignored label, label
/// smoothing ε, and flags (0 or 1) for class weights, per-row incoming gradients (no reduction) and mean reduction.
/// </summary>
internal struct ClassLossArgs
{
#pragma warning disable CS1591 // described in the summary
    public long Rows, Classes, IgnoreIndex;
    public double Smoothing;
    public int Weighted, PerRowGrad, Mean;
#pragma warning restore CS1591
}
