using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>The fused Adadelta update (<see cref="IBackend.AdadeltaStep"/>) over one parameter's memory.</summary>
internal static class AdadeltaKernel
{
    /// <summary>
    /// One step: d = g (+ λp); v = v·ρ + (1 − ρ)·d²; Δ = √(u + ε) / √(v + ε) · d; u = u·ρ + (1 − ρ)·Δ²;
    /// p = p + (−lr)·Δ. The GPU kernel does the same operations in the same order.
    /// </summary>
    public static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> v, Span<T> u, AdadeltaHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negLr = T.CreateTruncating(-h.Lr), rho = T.CreateTruncating(h.Rho), oneMinusRho = T.CreateTruncating(1 - h.Rho);
        T eps = T.CreateTruncating(h.Eps), wd = T.CreateTruncating(h.WeightDecay);
        bool hasWd = h.WeightDecay != 0;
        T tiny = Subnormals.MinNormal<T>();   // state below it is stored as zero (Subnormals)
        for (int i = 0; i < p.Length; i++)
        {
            T pi = p[i];
            T d = g[i];
            if (hasWd)
                d += wd * pi;
            T vi = Subnormals.Flush(v[i] * rho + oneMinusRho * (d * d), tiny);
            v[i] = vi;
            T delta = T.Sqrt(u[i] + eps) / T.Sqrt(vi + eps) * d;
            u[i] = Subnormals.Flush(u[i] * rho + oneMinusRho * (delta * delta), tiny);
            p[i] = pi + negLr * delta;
        }
    }
}
