using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>The fused SGD update (<see cref="IBackend.SgdStep"/>) over one parameter's memory.</summary>
internal static class SgdKernel
{
    /// <summary>One step; <paramref name="buf"/> is empty without momentum.</summary>
    public static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> buf, SgdHyper h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negLr = T.CreateTruncating(-h.Lr), mu = T.CreateTruncating(h.Momentum), oneMinusDamp = T.CreateTruncating(1 - h.Dampening), wd = T.CreateTruncating(h.WeightDecay);
        T tiny = Subnormals.MinNormal<T>();   // momentum below it is stored as zero (Subnormals)
        bool hasWd = h.WeightDecay != 0, hasMomentum = h.Momentum != 0, nesterov = h.Nesterov, first = h.First;
        int i = 0;
        if (typeof(T) == typeof(float) && hasMomentum && !hasWd && !nesterov && !first && h.Dampening == 0 && Vector512.IsHardwareAccelerated)
        {
            // The common momentum step, b = μb + g; p = p − lr·b, without per-element branches; the same
            // operations (unfused multiply, then add) as the general loop, so the same rounding.
            i = MomentumStep(MemoryMarshal.Cast<T, float>(p), MemoryMarshal.Cast<T, float>(g), MemoryMarshal.Cast<T, float>(buf),
                float.CreateTruncating(negLr), float.CreateTruncating(mu));
        }
        if (i == 0 && Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vb = hasMomentum ? MemoryMarshal.Cast<T, Vector<T>>(buf) : default;
            var vtiny = new Vector<T>(tiny);
            for (int k = 0; k < vp.Length; k++)
            {
                var d = vg[k];
                if (hasWd)
                    d += wd * vp[k];
                if (hasMomentum)
                {
                    var b = Subnormals.Flush(first ? d : vb[k] * mu + oneMinusDamp * d, vtiny);
                    vb[k] = b;
                    d = nesterov ? d + mu * b : b;
                }
                vp[k] += negLr * d;
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            var d = g[i];
            if (hasWd)
                d += wd * p[i];
            if (hasMomentum)
            {
                var b = Subnormals.Flush(first ? d : buf[i] * mu + oneMinusDamp * d, tiny);
                buf[i] = b;
                d = nesterov ? d + mu * b : b;
            }
            p[i] += negLr * d;
        }
    }

    /// <summary>b = μb + g; p += (−lr)·b over whole 16-float vectors; returns how many elements it did.</summary>
    private static int MomentumStep(Span<float> p, ReadOnlySpan<float> g, Span<float> buf, float negLr, float mu)
    {
        int n = p.Length / 16 * 16;
        if (g.Length < n || buf.Length < n)
            return 0;
        ref float rp = ref MemoryMarshal.GetReference(p);
        ref float rg = ref MemoryMarshal.GetReference(g);
        ref float rb = ref MemoryMarshal.GetReference(buf);
        var vmu = Vector512.Create(mu);
        var vlr = Vector512.Create(negLr);
        var vtiny = Vector512.Create(Subnormals.MinNormal<float>());
        for (nuint i = 0; i < (nuint)n; i += 16)
        {
            var b = Vector512.LoadUnsafe(ref rb, i) * vmu + Vector512.LoadUnsafe(ref rg, i);
            b = Subnormals.Flush(b, vtiny);
            b.StoreUnsafe(ref rb, i);
            (Vector512.LoadUnsafe(ref rp, i) + vlr * b).StoreUnsafe(ref rp, i);
        }
        return n;
    }
}
