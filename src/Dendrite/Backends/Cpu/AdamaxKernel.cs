using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>The fused Adamax update (<see cref="IBackend.AdamaxStep"/>) over one parameter's memory.</summary>
internal static class AdamaxKernel
{
    /// <summary>
    /// One step: d = g (+ λp); m = m·β₁ + (1 − β₁)·d; u = max(u·β₂, |d| + ε) with NaN winning (torch.amax);
    /// p = p + negClr·(m / u). The GPU kernel does the same operations in the same order.
    /// </summary>
    public static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> u, AdamaxHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negClr = T.CreateTruncating(h.NegClr), beta1 = T.CreateTruncating(h.Beta1), oneMinusBeta1 = T.CreateTruncating(1 - h.Beta1);
        T beta2 = T.CreateTruncating(h.Beta2), eps = T.CreateTruncating(h.Eps), wd = T.CreateTruncating(h.WeightDecay);
        bool hasWd = h.WeightDecay != 0;
        T tiny = Subnormals.MinNormal<T>();   // the first moment below it is stored as zero (Subnormals)
        for (int i = 0; i < p.Length; i++)
        {
            T pi = p[i];
            T d = g[i];
            if (hasWd)
                d += wd * pi;
            T mi = Subnormals.Flush(m[i] * beta1 + oneMinusBeta1 * d, tiny);
            m[i] = mi;
            T decayed = u[i] * beta2;
            T fresh = (d < T.Zero ? -d : d) + eps;
            T ui = T.IsNaN(decayed) || decayed > fresh ? decayed : fresh;
            u[i] = ui;
            p[i] = pi + negClr * (mi / ui);
        }
    }
}
