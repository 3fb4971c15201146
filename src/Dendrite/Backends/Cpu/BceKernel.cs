using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Binary cross-entropy of probabilities x against targets t (see <see cref="IBackend.BinaryCrossEntropy"/>), with the
/// logs clamped to ≥ −100 as PyTorch does so x = 0 or 1 stays finite; float32 through 16-lane vectors where AVX-512 is
/// available.
/// </summary>
internal static class BceKernel
{
    private const double LogFloor = -100;
    private const double Epsilon = 1e-12;

    /// <summary>The index of the first element outside [0, 1] (NaN included), or −1.</summary>
    public static int FirstNonProbability<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && AllProbabilities(MemoryMarshal.Cast<T, float>(x)))
            return -1;
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] >= T.Zero && x[i] <= T.One))
                return i;
        return -1;
    }

    // Whether every element is in [0, 1] (NaN is not), a whole vector at a time.
    private static bool AllProbabilities(ReadOnlySpan<float> x)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            ref float r = ref MemoryMarshal.GetReference(x);
            var ok = Vector512<float>.AllBitsSet;
            for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref r, (nuint)i);
                ok &= Vector512.GreaterThanOrEqual(v, Vector512<float>.Zero) & Vector512.LessThanOrEqual(v, Vector512<float>.One);
            }
            if (ok != Vector512<float>.AllBitsSet)
                return false;
        }
        for (; i < x.Length; i++)
            if (!(x[i] >= 0f && x[i] <= 1f))
                return false;
        return true;
    }

    /// <summary>mode 0: loss; 1: g·d/dx; 2: g·d/dt.</summary>
    public static void Map<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> g, Span<T> y, int mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T floor = T.CreateTruncating(LogFloor), tiny = T.CreateTruncating(Epsilon);
        for (int i = 0; i < y.Length; i++)
        {
            T xi = x[i], ti = t[i];
            if (mode == 1)
            {
                y[i] = g[i] * (xi - ti) / T.Max(xi * (T.One - xi), tiny);
                continue;
            }
            T logX = T.Max(T.Log(xi), floor), log1mX = T.Max(T.Log(T.One - xi), floor);
            y[i] = mode == 0 ? -(ti * logX + (T.One - ti) * log1mX) : g[i] * (log1mX - logX);
        }
    }

    /// <summary>
    /// The float32 map through 16-lane vectors where AVX-512 is available (a non-generic path, so ReadyToRun images
    /// carry it precompiled), else through the scalar loop.
    /// </summary>
    public static void MapFloat(ReadOnlySpan<float> x, ReadOnlySpan<float> t, ReadOnlySpan<float> g, Span<float> y, int mode)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            Map<float>(x, t, g, y, mode);
            return;
        }
        int done = MapVector(x, t, g, y, mode);
        if (done == y.Length)
            return;
        // The tail through zero-padded vectors (0.5 as padding probability keeps the padding lanes finite).
        int rest = y.Length - done;
        Span<float> xs = stackalloc float[16], ts = stackalloc float[16], gs = stackalloc float[16], ys = stackalloc float[16];
        xs.Fill(0.5f);
        ts.Clear();
        gs.Clear();
        x[done..].CopyTo(xs);
        t[done..].CopyTo(ts);
        if (mode != 0)
            g[done..].CopyTo(gs);
        MapVector(xs, ts, gs, ys, mode);
        ys[..rest].CopyTo(y[done..]);
    }

    // The whole 16-lane vectors of the float32 map; returns how many elements it did.
    private static int MapVector(ReadOnlySpan<float> x, ReadOnlySpan<float> t, ReadOnlySpan<float> g, Span<float> y, int mode)
    {
        const int w = 16;
        int n = y.Length & ~(w - 1);
        ref float rx = ref MemoryMarshal.GetReference(x), rt = ref MemoryMarshal.GetReference(t), ry = ref MemoryMarshal.GetReference(y);
        ref float rg = ref MemoryMarshal.GetReference(g);
        var one = Vector512<float>.One;
        var floor = Vector512.Create((float)LogFloor);
        for (int i = 0; i < n; i += w)
        {
            var xi = Vector512.LoadUnsafe(ref rx, (nuint)i);
            var ti = Vector512.LoadUnsafe(ref rt, (nuint)i);
            Vector512<float> r;
            if (mode == 1)
            {
                r = Vector512.LoadUnsafe(ref rg, (nuint)i) * (xi - ti) / Avx512F.Max(Vector512.Create((float)Epsilon), xi * (one - xi));
            }
            else
            {
                var logX = Avx512F.Max(floor, VectorExp.Log(xi));
                var log1mX = Avx512F.Max(floor, VectorExp.Log(one - xi));
                r = mode == 0 ? -(ti * logX + (one - ti) * log1mX) : Vector512.LoadUnsafe(ref rg, (nuint)i) * (log1mX - logX);
            }
            r.StoreUnsafe(ref ry, (nuint)i);
        }
        return n;
    }
}
