using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

/// <summary>clip_grad_norm_'s passes (<see cref="IBackend.TotalNorm"/>, <see cref="IBackend.ScaleToNorm"/>) over host memory.</summary>
internal static class GradNorm
{
    /// <summary>(Σ‖x‖ᵖ)^(1/p) over the dense views, or max ‖x‖∞ for p = ∞; each norm accumulated in double.</summary>
    public static double Total(StorageView[] xs, double p)
    {
        double total = 0;
        foreach (var x in xs)
        {
            double n = x.DType == DType.Float32 ? PNorm(x.Span<float>(), p) : PNorm(x.Span<double>(), p);
            total = double.IsPositiveInfinity(p) ? Math.Max(total, n) : total + Math.Pow(n, p);
        }
        return double.IsPositiveInfinity(p) ? total : Math.Pow(total, 1 / p);
    }

    /// <summary>x ·= coef (rounded to x's dtype) for every dense view.</summary>
    public static void Scale(StorageView[] xs, double coef)
    {
        foreach (var x in xs)
        {
            if (x.DType == DType.Float32)
            {
                var s = x.Span<float>();
                TensorPrimitives.Multiply(s, (float)coef, s);
            }
            else
            {
                var s = x.Span<double>();
                TensorPrimitives.Multiply(s, coef, s);
            }
        }
    }

    private static double PNorm(ReadOnlySpan<float> x, double p)
    {
        if (p == 2)
        {
            double s = 0;
            foreach (float v in x)
                s += (double)v * v;
            return Math.Sqrt(s);
        }
        if (double.IsPositiveInfinity(p))
            return x.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(x));
        double acc = 0;
        foreach (float v in x)
            acc += Math.Pow(Math.Abs(v), p);
        return Math.Pow(acc, 1 / p);
    }

    private static double PNorm(ReadOnlySpan<double> x, double p)
    {
        if (p == 2)
            return TensorPrimitives.Norm(x);
        if (double.IsPositiveInfinity(p))
            return x.IsEmpty ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(x));
        double acc = 0;
        foreach (double v in x)
            acc += Math.Pow(Math.Abs(v), p);
        return Math.Pow(acc, 1 / p);
    }
}
