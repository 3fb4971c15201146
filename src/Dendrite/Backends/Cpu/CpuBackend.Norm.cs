namespace Dendrite.Backends.Cpu;

// Batch and layer normalization: per-channel (per-row) loops on the calling thread.
internal sealed partial class CpuBackend
{
    public void BatchNormStatistics(StorageView x, int n, int c, int s, StorageView mean, StorageView variance)
    {
        if (x.DType == DType.Float32)
            BatchNormKernel.Statistics<float>(x.Span<float>(), n, c, s, mean.Span<double>(), variance.Span<double>());
        else
            BatchNormKernel.Statistics<double>(x.Span<double>(), n, c, s, mean.Span<double>(), variance.Span<double>());
    }

    public void BatchNorm(StorageView x, int n, int c, int s, StorageView mean, StorageView invStd, StorageView? gamma, StorageView? beta,
        StorageView y)
    {
        ReadOnlySpan<double> ga = Optional<double>(gamma), be = Optional<double>(beta);
        if (x.DType == DType.Float32)
            BatchNormKernel.Normalize<float>(x.Span<float>(), y.Span<float>(), n, c, s, mean.Span<double>(), invStd.Span<double>(), ga, be);
        else
            BatchNormKernel.Normalize<double>(x.Span<double>(), y.Span<double>(), n, c, s, mean.Span<double>(), invStd.Span<double>(), ga, be);
    }

    public void BatchNormBackward(StorageView x, StorageView gy, int n, int c, int s, StorageView mean, StorageView invStd,
        StorageView? gamma, bool training, StorageView sumG, StorageView sumGxhat, StorageView? dx)
    {
        ReadOnlySpan<double> ga = Optional<double>(gamma), mu = mean.Span<double>(), inv = invStd.Span<double>();
        if (x.DType == DType.Float32)
            BatchNormKernel.Backward<float>(x.Span<float>(), gy.Span<float>(), Optional<float>(dx), n, c, s, mu, inv, ga, training,
                sumG.Span<double>(), sumGxhat.Span<double>());
        else
            BatchNormKernel.Backward<double>(x.Span<double>(), gy.Span<double>(), Optional<double>(dx), n, c, s, mu, inv, ga, training,
                sumG.Span<double>(), sumGxhat.Span<double>());
    }

    public void LayerNorm(StorageView x, StorageView? gamma, StorageView? beta, int rows, int d, double eps, StorageView y,
        StorageView mean, StorageView invStd)
    {
        if (x.DType == DType.Float32)
            LayerNormKernel.Forward<float>(x.Span<float>(), Optional<float>(gamma), Optional<float>(beta), y.Span<float>(), rows, d, eps,
                mean.Span<float>(), invStd.Span<float>());
        else
            LayerNormKernel.Forward<double>(x.Span<double>(), Optional<double>(gamma), Optional<double>(beta), y.Span<double>(), rows, d, eps,
                mean.Span<double>(), invStd.Span<double>());
    }

    public void LayerNormBackward(StorageView x, StorageView gy, StorageView? gamma, StorageView mean, StorageView invStd, int rows, int d,
        StorageView? dx, StorageView? dGamma, StorageView? dBeta)
    {
        if (x.DType == DType.Float32)
            LayerNormBackward<float>(x, gy, gamma, mean, invStd, rows, d, dx, dGamma, dBeta);
        else
            LayerNormBackward<double>(x, gy, gamma, mean, invStd, rows, d, dx, dGamma, dBeta);
    }

    private static void LayerNormBackward<T>(StorageView x, StorageView gy, StorageView? gamma, StorageView mean, StorageView invStd,
        int rows, int d, StorageView? dx, StorageView? dGamma, StorageView? dBeta) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // The parameter gradients are sums over the rows.
        Span<T> dw = Optional<T>(dGamma), db = Optional<T>(dBeta);
        dw.Clear();
        db.Clear();
        LayerNormKernel.Backward<T>(x.Span<T>(), gy.Span<T>(), Optional<T>(gamma), mean.Span<T>(), invStd.Span<T>(), Optional<T>(dx), dw, db,
            dx is not null, rows, d);
    }

    /// <summary>The view's span, or an empty span when the operand is absent.</summary>
    private static Span<T> Optional<T>(StorageView? v) where T : unmanaged => v is { } view ? view.Span<T>() : default;
}
