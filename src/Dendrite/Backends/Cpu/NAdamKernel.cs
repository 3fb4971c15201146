using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>The fused NAdam update (<see cref="IBackend.NAdamStep"/>) over one parameter's memory.</summary>
internal static class NAdamKernel
{
    /// <summary>
    /// One step: d = g (+ λp); m = m·β₁ + (1 − β₁)·d; v = v·β₂ + (1 − β₂)·d²; denom = √(v / bc₂) + ε;
    /// p = p + gradCoef·(d / denom); p = p + avgCoef·(m / denom) (two updates, as PyTorch's two addcdiv_).
    /// The GPU kernel does the same operations in the same order.
    /// </summary>
    public static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> v, NAdamHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T beta1 = T.CreateTruncating(h.Beta1), oneMinusBeta1 = T.CreateTruncating(1 - h.Beta1);
        T beta2 = T.CreateTruncating(h.Beta2), oneMinusBeta2 = T.CreateTruncating(1 - h.Beta2);
        T eps = T.CreateTruncating(h.Eps), wd = T.CreateTruncating(h.WeightDecay), bc2 = T.CreateTruncating(h.Bc2);
        T gradCoef = T.CreateTruncating(h.GradCoef), avgCoef = T.CreateTruncating(h.AvgCoef);
        bool hasWd = h.WeightDecay != 0;
        T tiny = Subnormals.MinNormal<T>();   // moments below it are stored as zero (Subnormals)
        for (int i = 0; i < p.Length; i++)
        {
            T pi = p[i];
            T d = g[i];
            if (hasWd)
                d += wd * pi;
            T mi = Subnormals.Flush(m[i] * beta1 + oneMinusBeta1 * d, tiny);
            T vi = Subnormals.Flush(v[i] * beta2 + oneMinusBeta2 * (d * d), tiny);
            m[i] = mi;
            v[i] = vi;
            T denom = T.Sqrt(vi / bc2) + eps;
            pi += gradCoef * (d / denom);
            p[i] = pi + avgCoef * (mi / denom);
        }
    }
}
