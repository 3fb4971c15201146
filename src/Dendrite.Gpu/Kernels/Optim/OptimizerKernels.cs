using System.Numerics;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Optim;

/// <summary>
/// The fused optimizer updates: one grid-stride pass over a parameter, its gradient and its state, updated in place.
/// Each reproduces the CPU backend's arithmetic operation by operation (same products, same order, no fused
/// multiply-adds in the source), so ilgpu-cpu follows the CPU trajectory bit for bit; on CUDA the PTX assembler may
/// contract a multiply and an add into an FMA (an ulp per step). Absent state buffers are stand-in views never read.
/// </summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// SGD: d = g (+ λp); with momentum b = d (first step) or μb + (1 − τ)d, then d = d + μb (Nesterov) or b;
    /// p = p + (−lr)·d.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Sgd<T>(ArrayView<T> p, ArrayView<T> g, ArrayView<T> buf, long n, SgdArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T pi = p[i];
            T d = g[i];
            if (a.HasWeightDecay != 0)
                d += a.WeightDecay * pi;
            if (a.HasMomentum != 0)
            {
                T b = Flush(a.First != 0 ? d : buf[i] * a.Momentum + a.OneMinusDampening * d, a.MinNormal);
                buf[i] = b;
                d = a.Nesterov != 0 ? d + a.Momentum * b : b;
            }
            p[i] = pi + a.NegLr * d;
        }
    }

    /// <summary>
    /// Adam/AdamW: p = p·decay; d = g (+ l2·p); m = m·β₁ + (1 − β₁)·d; v = v·β₂ + (1 − β₂)·d²; v̂ = max(vmax, v)
    /// (AMSGrad, stored back) or v; p = p + negStep·(m / (√v̂ / √bc₂ + ε)).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Adam<T>(ArrayView<T> p, ArrayView<T> g, ArrayView<T> m, ArrayView<T> v, ArrayView<T> vmax, long n, AdamArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T pk = p[i];
            if (a.HasDecay != 0)
                pk *= a.Decay;
            T d = g[i];
            if (a.HasL2 != 0)
                d += a.L2 * pk;
            T mk = Flush(m[i] * a.Beta1 + a.OneMinusBeta1 * d, a.MinNormal);
            T sk = Flush(v[i] * a.Beta2 + a.OneMinusBeta2 * (d * d), a.MinNormal);
            m[i] = mk;
            v[i] = sk;
            if (a.Amsgrad != 0)
            {
                T old = vmax[i];
                // max with NaN winning, as T.Max
                sk = T.IsNaN(old) || old > sk ? old : sk;
                vmax[i] = sk;
            }
            p[i] = pk + a.NegStepSize * (mk / (T.Sqrt(sk) / a.Bc2Sqrt + a.Eps));
        }
    }

    /// <summary>
    /// RMSprop: d = g (+ λp); v = v·α + (1 − α)·d²; centered: m = m·α + (1 − α)·d, denom = √(v − m²) + ε, else
    /// √v + ε; momentum: b = b·μ + d/denom, p = p + (−lr)·b, else p = p + (−lr)·(d/denom).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Rmsprop<T>(ArrayView<T> p, ArrayView<T> g, ArrayView<T> sq, ArrayView<T> buf, ArrayView<T> gradAvg, long n,
        RmspropArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T pi = p[i];
            T d = g[i];
            if (a.HasWeightDecay != 0)
                d += a.WeightDecay * pi;
            T v = sq[i] * a.Alpha + a.OneMinusAlpha * (d * d);
            if (a.Centered == 0)
                v = Flush(v, a.MinNormal);   // centered: √(v − m²) needs v and m as they are
            sq[i] = v;
            T denom;
            if (a.Centered != 0)
            {
                T mk = gradAvg[i] * a.Alpha + a.OneMinusAlpha * d;
                gradAvg[i] = mk;
                denom = T.Sqrt(v - mk * mk) + a.Eps;
            }
            else
            {
                denom = T.Sqrt(v) + a.Eps;
            }
            if (a.HasMomentum != 0)
            {
                T b = Flush(buf[i] * a.Momentum + d / denom, a.MinNormal);
                buf[i] = b;
                p[i] = pi + a.NegLr * b;
            }
            else
            {
                p[i] = pi + a.NegLr * (d / denom);
            }
        }
    }

    /// <summary>Adagrad: d = g (+ λp); s = s + d²; p = p + (−clr)·(d / (√s + ε)).</summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Adagrad<T>(ArrayView<T> p, ArrayView<T> g, ArrayView<T> sum, long n, AdagradArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T pi = p[i];
            T d = g[i];
            if (a.HasWeightDecay != 0)
                d += a.WeightDecay * pi;
            T acc = sum[i] + d * d;
            sum[i] = acc;
            p[i] = pi + a.NegClr * (d / (T.Sqrt(acc) + a.Eps));
        }
    }

    /// <summary>
    /// Adadelta: d = g (+ λp); v = v·ρ + (1 − ρ)·d²; Δ = √(u + ε) / √(v + ε) · d; u = u·ρ + (1 − ρ)·Δ²;
    /// p = p + (−lr)·Δ.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Adadelta<T>(ArrayView<T> p, ArrayView<T> g, ArrayView<T> v, ArrayView<T> u, long n, AdadeltaArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T pi = p[i];
            T d = g[i];
            if (a.HasWeightDecay != 0)
                d += a.WeightDecay * pi;
            T vi = Flush(v[i] * a.Rho + a.OneMinusRho * (d * d), a.MinNormal);
            v[i] = vi;
            T delta = T.Sqrt(u[i] + a.Eps) / T.Sqrt(vi + a.Eps) * d;
            u[i] = Flush(u[i] * a.Rho + a.OneMinusRho * (delta * delta), a.MinNormal);
            p[i] = pi + a.NegLr * delta;
        }
    }

    /// <summary>
    /// Adamax: d = g (+ λp); m = m·β₁ + (1 − β₁)·d; u = max(u·β₂, |d| + ε) with NaN winning; p = p + negClr·(m / u).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Adamax<T>(ArrayView<T> p, ArrayView<T> g, ArrayView<T> m, ArrayView<T> u, long n, AdamaxArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T pi = p[i];
            T d = g[i];
            if (a.HasWeightDecay != 0)
                d += a.WeightDecay * pi;
            T mi = Flush(m[i] * a.Beta1 + a.OneMinusBeta1 * d, a.MinNormal);
            m[i] = mi;
            T decayed = u[i] * a.Beta2;
            T fresh = (d < T.Zero ? -d : d) + a.Eps;
            T ui = T.IsNaN(decayed) || decayed > fresh ? decayed : fresh;
            u[i] = ui;
            p[i] = pi + a.NegClr * (mi / ui);
        }
    }

    /// <summary>
    /// NAdam: d = g (+ λp); m = m·β₁ + (1 − β₁)·d; v = v·β₂ + (1 − β₂)·d²; denom = √(v / bc₂) + ε;
    /// p = p + gradCoef·(d / denom); p = p + avgCoef·(m / denom).
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void NAdam<T>(ArrayView<T> p, ArrayView<T> g, ArrayView<T> m, ArrayView<T> v, long n, NAdamArgs<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T pi = p[i];
            T d = g[i];
            if (a.HasWeightDecay != 0)
                d += a.WeightDecay * pi;
            T mi = Flush(m[i] * a.Beta1 + a.OneMinusBeta1 * d, a.MinNormal);
            T vi = Flush(v[i] * a.Beta2 + a.OneMinusBeta2 * (d * d), a.MinNormal);
            m[i] = mi;
            v[i] = vi;
            T denom = T.Sqrt(vi / a.Bc2) + a.Eps;
            pi += a.GradCoef * (d / denom);
            p[i] = pi + a.AvgCoef * (mi / denom);
        }
    }

    /// <summary>x, or zero where |x| is below the smallest normal value (NaN passes through), as the CPU stores
    /// decaying optimizer state.</summary>
    private static T Flush<T>(T x, T minNormal) where T : unmanaged, IFloatingPointIeee754<T> =>
        (x < T.Zero ? -x : x) < minNormal ? T.Zero : x;
}
