using System.Numerics;
using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Elementwise binary cross-entropy of probabilities x against targets t:
/// −(t·max(log x, −100) + (1 − t)·max(log(1 − x), −100)) (PyTorch clamps the logs so x = 0 or 1 stays finite).
/// d/dx = (x − t) / max(x·(1 − x), 1e-12); d/dt = max(log(1 − x), −100) − max(log x, −100).
/// </summary>
internal sealed class BinaryCrossEntropyOp : GradFn
{
    private const double LogFloor = -100;
    private const double Epsilon = 1e-12;

    public override string Name => "BinaryCrossEntropyBackward";

    public static Tensor Apply(Tensor x, Tensor t)
    {
        var xc = x.Dense();
        var tc = t.Dense();
        if (x.DType == DType.Float32)
            CheckRange<float>(xc.Span<float>());
        else
            CheckRange<double>(xc.Span<double>());
        var y = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            Map<float>(xc.Span<float>(), tc.Span<float>(), default, y.Span<float>(), 0);
        else
            Map<double>(xc.Span<double>(), tc.Span<double>(), default, y.Span<double>(), 0);
        if (!ShouldRecord(x, t))
            return y;
        var fn = new BinaryCrossEntropyOp();
        fn.Save(xc, tc);
        return Record(fn, y, x, t);
    }

    private static void CheckRange<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] >= T.Zero && x[i] <= T.One))
                throw new ArgumentException($"BinaryCrossEntropy: every input element must be a probability in [0, 1], but element {i} is {x[i]}. Apply Sigmoid first, or use BinaryCrossEntropyWithLogits on raw scores.");
    }

    // mode 0: loss; 1: g·d/dx; 2: g·d/dt.
    private static void Map<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> t, ReadOnlySpan<T> g, Span<T> y, int mode)
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

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        var t = Saved(1);
        var g = gradOutput.Dense();
        Tensor? gx = NeedsGrad(0) ? Run(x, t, g, 1) : null;
        Tensor? gt = NeedsGrad(1) ? Run(x, t, g, 2) : null;
        return [gx, gt];
    }

    private static Tensor Run(Tensor x, Tensor t, Tensor g, int mode)
    {
        var r = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            Map<float>(x.Span<float>(), t.Span<float>(), g.Span<float>(), r.Span<float>(), mode);
        else
            Map<double>(x.Span<double>(), t.Span<double>(), g.Span<double>(), r.Span<double>(), mode);
        return r;
    }
}
