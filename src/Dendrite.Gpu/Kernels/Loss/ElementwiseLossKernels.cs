using System.Numerics;
using ILGPU;

namespace Dendrite.Gpu.Kernels.Loss;

/// <summary>
/// The elementwise loss maps (binary cross-entropy on probabilities and on logits, Huber) over dense same-length
/// views, grid-stride and barrier-free; the arithmetic follows the CPU backend's kernels operation by operation.
/// A mode selects the map: 0 the loss, 1 g·∂/∂x, 2 g·∂/∂t, 3 g·∂/∂pw (BCE with logits); g is unused in mode 0.
/// </summary>
internal static class ElementwiseLossKernels
{
    /// <summary>
    /// BCE of probabilities: with lx = max(ln x, floor), l1 = max(ln(1 − x), floor) (NaN stays NaN):
    /// mode 0 −(t·lx + (1 − t)·l1); mode 1 g·(x − t)/max(x·(1 − x), tiny); otherwise g·(l1 − lx).
    /// </summary>
    [GpuKernel]
    public static void BinaryCrossEntropy<T, TR>(ArrayView<T> x, ArrayView<T> t, ArrayView<T> g, ArrayView<T> y, long n, int mode,
        T floor, T tiny)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        TR ops = default;
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T xi = x[i], ti = t[i];
            if (mode == 1)
            {
                T m = xi * (T.One - xi);
                y[i] = g[i] * (xi - ti) / (m < tiny ? tiny : m);
                continue;
            }
            T logX = ops.Log(xi), log1mX = ops.Log(T.One - xi);
            logX = logX < floor ? floor : logX;
            log1mX = log1mX < floor ? floor : log1mX;
            y[i] = mode == 0 ? -(ti * logX + (T.One - ti) * log1mX) : g[i] * (log1mX - logX);
        }
    }

    /// <summary>
    /// BCE on logits with sp = max(−x, 0) + ln(1 + e^(−|x|)) and pw1 = pw − 1 (0 when <paramref name="weighted"/>
    /// is 0): mode 0 (1 − t)·x + (1 + pw1·t)·sp; mode 1 g·((1 − t) − (1 + pw1·t)·σ(−x)); mode 2 g·(−x + pw1·sp);
    /// mode 3 g·t·sp.
    /// </summary>
    [GpuKernel]
    public static void BceWithLogits<T, TR>(ArrayView<T> x, ArrayView<T> t, ArrayView<T> pw, ArrayView<T> g, ArrayView<T> y, long n,
        int mode, int weighted)
        where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        TR ops = default;
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T xi = x[i], ti = t[i];
            T pwm1 = weighted != 0 ? pw[i] - T.One : T.Zero;
            T negX = -xi;
            T absX = xi < T.Zero ? -xi : xi;
            T spNeg = (negX > T.Zero || T.IsNaN(negX) ? negX : T.Zero) + ops.Log(ops.Exp(-absX) + T.One);
            T r;
            if (mode == 0)
                r = (T.One - ti) * xi + (T.One + pwm1 * ti) * spNeg;
            else if (mode == 1)
                r = g[i] * ((T.One - ti) - (T.One + pwm1 * ti) * Sigmoid(negX, ops));
            else if (mode == 2)
                r = g[i] * (-xi + pwm1 * spNeg);
            else
                r = g[i] * ti * spNeg;
            y[i] = r;
        }
    }

    // σ(v) without overflow: 1/(1 + e^(−v)) for v ≥ 0, e^v/(1 + e^v) below.
    private static T Sigmoid<T, TR>(T v, TR ops) where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IFloatMath<T>
    {
        if (v >= T.Zero)
            return T.One / (T.One + ops.Exp(-v));
        T e = ops.Exp(v);
        return e / (T.One + e);
    }

    /// <summary>
    /// Huber of d = x − t: grad 0: ½d² where |d| &lt; δ, else δ·(|d| − ½δ); grad 1: g·clamp(d, −δ, δ) (NaN stays
    /// NaN). <paramref name="half"/> is ½ and <paramref name="delta"/> δ, both rounded to T.
    /// </summary>
    [GpuKernel]
    [KernelInstance(typeof(float)), KernelInstance(typeof(double))]
    public static void Huber<T>(ArrayView<T> x, ArrayView<T> t, ArrayView<T> g, ArrayView<T> y, long n, int grad, T delta, T half)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long stride = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += stride)
        {
            T d = x[i] - t[i];
            if (grad != 0)
            {
                y[i] = g[i] * (d < -delta ? -delta : d > delta ? delta : d);
                continue;
            }
            T a = d < T.Zero ? -d : d;
            y[i] = a < delta ? half * d * d : delta * (a - half * delta);
        }
    }
}
