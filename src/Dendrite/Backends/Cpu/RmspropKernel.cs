using System.Numerics;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>The fused RMSprop update (<see cref="IBackend.RmspropStep"/>) over one parameter's memory.</summary>
internal static class RmspropKernel
{
    /// <summary>One step; <paramref name="buf"/> is used only with <paramref name="hasMomentum"/>, <paramref name="gradAvg"/> only when <paramref name="centered"/>.</summary>
    public static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> sq, Span<T> buf, Span<T> gradAvg, bool hasMomentum, bool centered, RmspropHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negLr = T.CreateTruncating(-h.Lr), alpha = T.CreateTruncating(h.Alpha), oneMinusAlpha = T.CreateTruncating(1 - h.Alpha);
        T eps = T.CreateTruncating(h.Eps), wd = T.CreateTruncating(h.WeightDecay), mu = T.CreateTruncating(h.Momentum);
        bool hasWd = h.WeightDecay != 0;
        T tiny = Subnormals.MinNormal<T>();   // state below it is stored as zero (Subnormals); centered keeps v as it is
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vs = MemoryMarshal.Cast<T, Vector<T>>(sq);
            var vb = MemoryMarshal.Cast<T, Vector<T>>(buf);
            var va = MemoryMarshal.Cast<T, Vector<T>>(gradAvg);
            var vEps = new Vector<T>(eps);
            var vtiny = new Vector<T>(tiny);
            for (int k = 0; k < vp.Length; k++)
            {
                var d = vg[k];
                if (hasWd)
                    d += wd * vp[k];
                var v = vs[k] * alpha + oneMinusAlpha * (d * d);
                if (!centered)
                    v = Subnormals.Flush(v, vtiny);
                vs[k] = v;
                Vector<T> denom;
                if (centered)
                {
                    var m = va[k] * alpha + oneMinusAlpha * d;
                    va[k] = m;
                    denom = Vector.SquareRoot(v - m * m) + vEps;
                }
                else
                {
                    denom = Vector.SquareRoot(v) + vEps;
                }
                if (hasMomentum)
                {
                    var b = Subnormals.Flush(vb[k] * mu + d / denom, vtiny);
                    vb[k] = b;
                    vp[k] += negLr * b;
                }
                else
                {
                    vp[k] += negLr * (d / denom);
                }
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            var d = g[i];
            if (hasWd)
                d += wd * p[i];
            var v = sq[i] * alpha + oneMinusAlpha * (d * d);
            if (!centered)
                v = Subnormals.Flush(v, tiny);
            sq[i] = v;
            T denom;
            if (centered)
            {
                var m = gradAvg[i] * alpha + oneMinusAlpha * d;
                gradAvg[i] = m;
                denom = T.Sqrt(v - m * m) + eps;
            }
            else
            {
                denom = T.Sqrt(v) + eps;
            }
            if (hasMomentum)
            {
                var b = Subnormals.Flush(buf[i] * mu + d / denom, tiny);
                buf[i] = b;
                p[i] += negLr * b;
            }
            else
            {
                p[i] += negLr * (d / denom);
            }
        }
    }
}
