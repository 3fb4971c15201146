using System.Numerics.Tensors;

namespace Dendrite.NN;

/// <summary>Gradient utilities (like <c>torch.nn.utils</c>).</summary>
public static class Utils
{
    /// <summary>
    /// Rescales the gradients of <paramref name="parameters"/> in place so that their joint norm (all gradients
    /// treated as one vector) is at most <paramref name="maxNorm"/>: each is multiplied by
    /// min(1, maxNorm / (total + 1e-6)). <paramref name="normType"/> is p of the p-norm (∞ allowed). Returns the
    /// total norm before clipping. With <paramref name="errorIfNonfinite"/>, a NaN or infinite norm throws.
    /// </summary>
    public static double ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(normType > 0))
            throw new ArgumentException($"ClipGradNorm_: normType must be positive, got {normType}.");
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0)
            return 0;
        double total = 0;
        foreach (var g in grads)
        {
            var d = Dense(g);
            double n = d.DType == DType.Float32 ? PNorm(d.Span<float>(), normType) : PNorm(d.Span<double>(), normType);
            total = double.IsPositiveInfinity(normType) ? Math.Max(total, n) : total + Math.Pow(n, normType);
        }
        if (!double.IsPositiveInfinity(normType))
            total = Math.Pow(total, 1 / normType);
        if (errorIfNonfinite && !double.IsFinite(total))
            throw new InvalidOperationException($"ClipGradNorm_: the total norm of order {normType} of the gradients is non-finite ({total}), so it cannot be clipped.");
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1)
        {
            using var _ = Autograd.Autograd.NoGrad();
            foreach (var g in grads)
                g.MulInPlace(coef);
        }
        return total;
    }

    /// <summary>Clamps every gradient element of <paramref name="parameters"/> into [−clipValue, clipValue] in place.</summary>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue >= 0))
            throw new ArgumentException($"ClipGradValue_: clipValue must be non-negative, got {clipValue}.");
        using var _ = Autograd.Autograd.NoGrad();
        foreach (var p in parameters)
            p.Grad?.ClampInPlace(-clipValue, clipValue);
    }

    private static Tensor Dense(Tensor t)
    {
        if (!t.DType.IsFloatingPoint())
            throw new ArgumentException($"ClipGradNorm_: gradients must be floating-point, got {t.DType}.");
        return t.IsContiguous ? t : t.CopyDense();
    }

    // ‖x‖_p accumulated in double.
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
