namespace Dendrite.Gpu.Kernels.Optim;

// The hyper-parameters of the fused optimizer updates, rounded to the parameter's type once on the host (as the CPU
// backend rounds them before its loop), with 0/1 flags for the optional terms. MinNormal is the type's smallest normal
// value: decaying state below it is stored as zero, as on the CPU (Dendrite.Backends.Cpu.Subnormals).

/// <summary>SGD: −lr, μ, 1 − τ, λ; flags for weight decay, momentum, Nesterov and the first (buffer-creating) step.</summary>
internal struct SgdArgs<T> where T : unmanaged
{
#pragma warning disable CS1591 // described in the summary
    public T NegLr, Momentum, OneMinusDampening, WeightDecay, MinNormal;
    public int HasWeightDecay, HasMomentum, Nesterov, First;
#pragma warning restore CS1591
}

/// <summary>Adam/AdamW: decay (1 − lr·λ or 1), L2 λ, β₁, 1 − β₁, β₂, 1 − β₂, −lr/bc₁, √bc₂, ε; flags for decay, L2, AMSGrad.</summary>
internal struct AdamArgs<T> where T : unmanaged
{
#pragma warning disable CS1591 // described in the summary
    public T Decay, L2, Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, NegStepSize, Bc2Sqrt, Eps, MinNormal;
    public int HasDecay, HasL2, Amsgrad;
#pragma warning restore CS1591
}

/// <summary>RMSprop: −lr, α, 1 − α, ε, λ, μ; flags for weight decay, centering and momentum.</summary>
internal struct RmspropArgs<T> where T : unmanaged
{
#pragma warning disable CS1591 // described in the summary
    public T NegLr, Alpha, OneMinusAlpha, Eps, WeightDecay, Momentum, MinNormal;
    public int HasWeightDecay, Centered, HasMomentum;
#pragma warning restore CS1591
}

/// <summary>Adagrad: −clr, λ, ε; a flag for weight decay.</summary>
internal struct AdagradArgs<T> where T : unmanaged
{
#pragma warning disable CS1591 // described in the summary
    public T NegClr, WeightDecay, Eps;
    public int HasWeightDecay;
#pragma warning restore CS1591
}

/// <summary>Adadelta: −lr, ρ, 1 − ρ, ε, λ; a flag for weight decay.</summary>
internal struct AdadeltaArgs<T> where T : unmanaged
{
#pragma warning disable CS1591 // described in the summary
    public T NegLr, Rho, OneMinusRho, Eps, WeightDecay, MinNormal;
    public int HasWeightDecay;
#pragma warning restore CS1591
}

/// <summary>Adamax: −lr/(1 − β₁ᵗ), β₁, 1 − β₁, β₂, ε, λ; a flag for weight decay.</summary>
internal struct AdamaxArgs<T> where T : unmanaged
{
#pragma warning disable CS1591 // described in the summary
    public T NegClr, Beta1, OneMinusBeta1, Beta2, Eps, WeightDecay, MinNormal;
    public int HasWeightDecay;
#pragma warning restore CS1591
}

/// <summary>NAdam: β₁, 1 − β₁, β₂, 1 − β₂, ε, λ, bc₂, the gradient and average coefficients; a flag for weight decay.</summary>
internal struct NAdamArgs<T> where T : unmanaged
{
#pragma warning disable CS1591 // described in the summary
    public T Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, Eps, WeightDecay, Bc2, GradCoef, AvgCoef, MinNormal;
    public int HasWeightDecay;
#pragma warning restore CS1591
}
