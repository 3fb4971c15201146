using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The elementwise maps of BCE with logits, Huber and MSE over contiguous same-sized spans (the loss kernels of
/// <see cref="IBackend"/>).
/// </summary>
internal static class LossKernels
{
    /// <summary>BCE with logits; mode 0: loss; 1: g·d/dx; 2: g·d/dt; 3: g·d/dpw (pw empty when absent).</summary>
    public static void BceWithLogits<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> pw, ReadOnlySpan<T> g, Span<T> y, int mode)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool weighted = !pw.IsEmpty;
        for (int i = 0; i < y.Length; i++)
        {
            T xi = x[i], ti = t[i];
            T pwm1 = weighted ? pw[i] - T.One : T.Zero;
            // sp(−x) = max(−x, 0) + log(1 + e^(−|x|))
            T spNeg = T.Max(-xi, T.Zero) + T.LogP1(T.Exp(-T.Abs(xi)));
            y[i] = mode switch
            {
                0 => (T.One - ti) * xi + (T.One + pwm1 * ti) * spNeg,
                1 => g[i] * ((T.One - ti) - (T.One + pwm1 * ti) * Sigmoid(-xi)),
                2 => g[i] * (-xi + pwm1 * spNeg),
                _ => g[i] * ti * spNeg,
            };
        }
    }

    private static T Sigmoid<T>(T v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (v >= T.Zero)
            return T.One / (T.One + T.Exp(-v));
        T e = T.Exp(v);
        return e / (T.One + e);
    }

    /// <summary>Huber; grad false: y = loss(x − t). grad true: y = g·clip(x − t, −δ, δ).</summary>
    public static void Huber<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> g, Span<T> y, double delta, bool grad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T dl = T.CreateTruncating(delta), half = T.CreateTruncating(0.5);
        for (int i = 0; i < y.Length; i++)
        {
            T d = x[i] - t[i];
            if (grad)
                y[i] = g[i] * T.Clamp(d, -dl, dl);
            else
            {
                T a = T.Abs(d);
                y[i] = a < dl ? half * d * d : dl * (a - half * dl);
            }
        }
    }

    /// <summary>
    /// d = x − t; loss = Σ d² · (1/N), the squares summed as the generic mean sums them. Plain loops (not
    /// TensorPrimitives' generic kernels, which ReadyToRun leaves to the JIT) for the elementwise part.
    /// </summary>
    [SkipLocalsInit]
    public static void Mse<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, Span<T> d, Span<T> loss)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length;
        Span<T> sq = n <= 1024 ? stackalloc T[n] : new T[n];
        for (int i = 0; i < n; i++)
        {
            T v = x[i] - t[i];
            d[i] = v;
            sq[i] = v * v;
        }
        loss[0] = TensorPrimitives.Sum<T>(sq) * (T.One / T.CreateTruncating(n));
    }

    /// <summary>gx = c·(2d), c = g/N rounded once, as Mean's backward scales the incoming gradient before Square's backward.</summary>
    public static void MseGradient<T>(ReadOnlySpan<T> d, Span<T> gx, T c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T two = T.CreateTruncating(2);
        for (int i = 0; i < d.Length; i++)
            gx[i] = c * (two * d[i]);
    }
}
