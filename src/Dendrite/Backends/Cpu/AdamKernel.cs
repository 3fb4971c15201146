using System.Numerics;
using System.Runtime.InteropServices;

namespace Dendrite.Backends.Cpu;

/// <summary>The fused Adam/AdamW update (<see cref="IBackend.AdamStep"/>) over one parameter's memory.</summary>
internal static class AdamKernel
{
    /// <summary>One step; <paramref name="vmax"/> is used only with <paramref name="amsgrad"/>.</summary>
    public static void Update<T>(Span<T> p, ReadOnlySpan<T> g, Span<T> m, Span<T> v, Span<T> vmax, bool amsgrad, AdamHyper h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T decay = T.CreateTruncating(h.Decay), l2 = T.CreateTruncating(h.L2);
        T beta1 = T.CreateTruncating(h.Beta1), oneMinusBeta1 = T.CreateTruncating(1 - h.Beta1);
        T beta2 = T.CreateTruncating(h.Beta2), oneMinusBeta2 = T.CreateTruncating(1 - h.Beta2);
        T negStep = T.CreateTruncating(h.NegStepSize), bc2Sqrt = T.CreateTruncating(h.Bc2Sqrt), eps = T.CreateTruncating(h.Eps);
        bool hasDecay = h.Decay != 1, hasL2 = h.L2 != 0;
        T tiny = Subnormals.MinNormal<T>();   // moments below it are stored as zero (Subnormals)
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vp = MemoryMarshal.Cast<T, Vector<T>>(p);
            var vg = MemoryMarshal.Cast<T, Vector<T>>(g);
            var vm = MemoryMarshal.Cast<T, Vector<T>>(m);
            var vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            var vx = MemoryMarshal.Cast<T, Vector<T>>(vmax);
            var vEps = new Vector<T>(eps);
            var vBc2 = new Vector<T>(bc2Sqrt);
            var vtiny = new Vector<T>(tiny);
            for (int k = 0; k < vp.Length; k++)
            {
                var pk = vp[k];
                if (hasDecay)
                    pk *= decay;
                var d = vg[k];
                if (hasL2)
                    d += l2 * pk;
                var mk = Subnormals.Flush(vm[k] * beta1 + oneMinusBeta1 * d, vtiny);
                var sk = Subnormals.Flush(vv[k] * beta2 + oneMinusBeta2 * (d * d), vtiny);
                vm[k] = mk;
                vv[k] = sk;
                if (amsgrad)
                {
                    sk = Vector.Max(vx[k], sk);
                    vx[k] = sk;
                }
                vp[k] = pk + negStep * (mk / (Vector.SquareRoot(sk) / vBc2 + vEps));
            }
            i = vp.Length * Vector<T>.Count;
        }
        for (; i < p.Length; i++)
        {
            var pk = p[i];
            if (hasDecay)
                pk *= decay;
            var d = g[i];
            if (hasL2)
                d += l2 * pk;
            var mk = Subnormals.Flush(m[i] * beta1 + oneMinusBeta1 * d, tiny);
            var sk = Subnormals.Flush(v[i] * beta2 + oneMinusBeta2 * (d * d), tiny);
            m[i] = mk;
            v[i] = sk;
            if (amsgrad)
            {
                sk = T.Max(vmax[i], sk);
                vmax[i] = sk;
            }
            p[i] = pk + negStep * (mk / (T.Sqrt(sk) / bc2Sqrt + eps));
        }
    }
}
