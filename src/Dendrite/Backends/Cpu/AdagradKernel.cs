using System.Numerics;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>The fused Adagrad update (<see cref="IBackend.AdagradStep"/>) over one parameter's memory.</summary>
internal static class AdagradKernel
{
    public static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> sum, double clrD, double wdD, double epsD)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T negClr = T.CreateTruncating(-clrD), wd = T.CreateTruncating(wdD), eps = T.CreateTruncating(epsD);
        bool hasWd = wdD != 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vs = MemoryMarshal.Cast<T, Vector<T>>(sum);
            for (int k = 0; k < vp.Length; k++)
            {
                var d = vg[k];
                if (hasWd)
                    d += wd * vp[k];
                var acc = vs[k] + d * d;
                vs[k] = acc;
                vp[k] += negClr * (d / (Vector.SquareRoot(acc) + new Vector<T>(eps)));
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            var d = g[i];
            if (hasWd)
                d += wd * p[i];
            var acc = sum[i] + d * d;
            sum[i] = acc;
            p[i] += negClr * (d / (T.Sqrt(acc) + eps));
        }
    }
}
