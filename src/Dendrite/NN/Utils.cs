using Dendrite.Ops;

namespace Dendrite.NN;

/// <summary>Gradient utilities (like <c>torch.nn.utils</c>).</summary>
public static class Utils
{
    /// <summary>
    /// Rescales the gradients of <paramref name="parameters"/> in place so that their joint norm (all gradients
    /// treated as one vector) is at most <paramref name="maxNorm"/>: each is multiplied by
    /// maxNorm / (total + 1e-6) when that is below 1. <paramref name="normType"/> is p of the p-norm (∞ allowed).
    /// Returns the total norm before clipping as a 0-d Float64 tensor on the gradients' device (like PyTorch, which
    /// returns a tensor so that no step waits for the device; call <c>Item()</c> to read it). With
    /// <paramref name="errorIfNonfinite"/>, a NaN or infinite norm throws (this reads the norm back to the host).
    /// </summary>
    /// <exception cref="ArgumentException">The gradients are on different devices or not floating-point.</exception>
    public static Tensor ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        const string op = "ClipGradNorm_";
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(normType > 0))
            throw new ArgumentException($"{op}: normType must be positive, got {normType}.");
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToList();
        if (grads.Count == 0)
            return Tensor.Scalar(0, DType.Float64);
        var backend = Dispatch.Backend(op, grads);
        var dense = new Tensor[grads.Count];
        var views = new Backends.StorageView[grads.Count];
        for (int i = 0; i < grads.Count; i++)
        {
            var g = grads[i];
            if (!g.DType.IsFloatingPoint())
                throw new ArgumentException($"{op}: gradients must be floating-point, got {g.DType} of shape {ShapeUtil.Format(g.ShapeArray)}.");
            dense[i] = g.IsContiguous ? g : g.CopyDense();
            views[i] = dense[i].Raw;
        }
        var total = Tensor.Allocate([], DType.Float64, false, backend);
        backend.TotalNorm(views, normType, total.Raw);
        if (errorIfNonfinite && total.Item() is var t && !double.IsFinite(t))
            throw new InvalidOperationException($"{op}: the total norm of order {normType} of the gradients is non-finite ({t}), so it cannot be clipped.");
        backend.ScaleToNorm(views, total.Raw, maxNorm);
        for (int i = 0; i < grads.Count; i++)
        {
            // A strided gradient was scaled in its dense copy; write it back.
            if (!ReferenceEquals(dense[i], grads[i]))
                grads[i].CopyFromUnchecked(dense[i]);
            else
                grads[i].BumpVersion();
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
}
