namespace Dendrite.Backends.Cpu;

// The fused optimizer updates and clip_grad_norm_'s two passes, over the host arrays of the views.
internal sealed partial class CpuBackend
{
    /// <summary>From this many elements a parameter's update is split over the kernel threads (a Linear(784, 256)
    /// weight is 200,704): the updates are elementwise, so the split does not change a single value.</summary>
    private const int OptimParallelElements = 1 << 16;

    /// <summary>Runs <paramref name="update"/>(lo, hi) over [0, n) in per-thread ranges of whole cache lines.</summary>
    private static void ForRanges(int n, Action<int, int> update)
    {
        int threads = Threads.Count;
        int chunk = ParallelElementwise.ChunkSize(n, Math.Max(threads, 1));
        CpuParallel.For((n + chunk - 1) / chunk, c => update(c * chunk, Math.Min(n, (c + 1) * chunk)));
    }

    public void SgdStep(StorageView p, StorageView g, StorageView? momentumBuffer, SgdHyper h)
    {
        if (Threads.Count > 1 && p.Numel >= OptimParallelElements)
        {
            SgdSplit(p, g, momentumBuffer, h);
            return;
        }
        if (p.DType == DType.Float32)
            SgdKernel.Update<float>(p.Span<float>(), g.Span<float>(), momentumBuffer is { } b ? b.Span<float>() : default, h);
        else
            SgdKernel.Update<double>(p.Span<double>(), g.Span<double>(), momentumBuffer is { } b ? b.Span<double>() : default, h);
    }

    // Separate from SgdStep so that the small parameters' path allocates no closure.
    private static void SgdSplit(StorageView p, StorageView g, StorageView? momentumBuffer, SgdHyper h)
    {
        if (p.DType == DType.Float32)
            ForRanges(p.Numel, (lo, hi) => SgdKernel.Update<float>(p.Span<float>().Slice(lo, hi - lo), g.Span<float>().Slice(lo, hi - lo),
                momentumBuffer is { } b ? b.Span<float>().Slice(lo, hi - lo) : default, h));
        else
            ForRanges(p.Numel, (lo, hi) => SgdKernel.Update<double>(p.Span<double>().Slice(lo, hi - lo), g.Span<double>().Slice(lo, hi - lo),
                momentumBuffer is { } b ? b.Span<double>().Slice(lo, hi - lo) : default, h));
    }

    public void AdamStep(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, StorageView? maxExpAvgSq, AdamHyper h)
    {
        if (Threads.Count > 1 && p.Numel >= OptimParallelElements)
        {
            AdamSplit(p, g, expAvg, expAvgSq, maxExpAvgSq, h);
            return;
        }
        if (p.DType == DType.Float32)
            AdamKernel.Update<float>(p.Span<float>(), g.Span<float>(), expAvg.Span<float>(), expAvgSq.Span<float>(),
                maxExpAvgSq is { } x ? x.Span<float>() : default, maxExpAvgSq.HasValue, h);
        else
            AdamKernel.Update<double>(p.Span<double>(), g.Span<double>(), expAvg.Span<double>(), expAvgSq.Span<double>(),
                maxExpAvgSq is { } x ? x.Span<double>() : default, maxExpAvgSq.HasValue, h);
    }

    private static void AdamSplit(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, StorageView? maxExpAvgSq, AdamHyper h)
    {
        if (p.DType == DType.Float32)
            ForRanges(p.Numel, (lo, hi) => AdamKernel.Update<float>(p.Span<float>().Slice(lo, hi - lo), g.Span<float>().Slice(lo, hi - lo),
                expAvg.Span<float>().Slice(lo, hi - lo), expAvgSq.Span<float>().Slice(lo, hi - lo),
                maxExpAvgSq is { } x ? x.Span<float>().Slice(lo, hi - lo) : default, maxExpAvgSq.HasValue, h));
        else
            ForRanges(p.Numel, (lo, hi) => AdamKernel.Update<double>(p.Span<double>().Slice(lo, hi - lo), g.Span<double>().Slice(lo, hi - lo),
                expAvg.Span<double>().Slice(lo, hi - lo), expAvgSq.Span<double>().Slice(lo, hi - lo),
                maxExpAvgSq is { } x ? x.Span<double>().Slice(lo, hi - lo) : default, maxExpAvgSq.HasValue, h));
    }

    public void RmspropStep(StorageView p, StorageView g, StorageView squareAvg, StorageView? momentumBuffer, StorageView? gradAvg, RmspropHyper h)
    {
        if (p.DType == DType.Float32)
            RmspropKernel.Update<float>(p.Span<float>(), g.Span<float>(), squareAvg.Span<float>(),
                momentumBuffer is { } b ? b.Span<float>() : default, gradAvg is { } a ? a.Span<float>() : default,
                momentumBuffer.HasValue, gradAvg.HasValue, h);
        else
            RmspropKernel.Update<double>(p.Span<double>(), g.Span<double>(), squareAvg.Span<double>(),
                momentumBuffer is { } b ? b.Span<double>() : default, gradAvg is { } a ? a.Span<double>() : default,
                momentumBuffer.HasValue, gradAvg.HasValue, h);
    }

    public void AdagradStep(StorageView p, StorageView g, StorageView sum, double clr, double weightDecay, double eps)
    {
        if (p.DType == DType.Float32)
            AdagradKernel.Update<float>(p.Span<float>(), g.Span<float>(), sum.Span<float>(), clr, weightDecay, eps);
        else
            AdagradKernel.Update<double>(p.Span<double>(), g.Span<double>(), sum.Span<double>(), clr, weightDecay, eps);
    }

    public void AdadeltaStep(StorageView p, StorageView g, StorageView squareAvg, StorageView accDelta, AdadeltaHyper h)
    {
        if (p.DType == DType.Float32)
            AdadeltaKernel.Update<float>(p.Span<float>(), g.Span<float>(), squareAvg.Span<float>(), accDelta.Span<float>(), h);
        else
            AdadeltaKernel.Update<double>(p.Span<double>(), g.Span<double>(), squareAvg.Span<double>(), accDelta.Span<double>(), h);
    }

    public void AdamaxStep(StorageView p, StorageView g, StorageView expAvg, StorageView expInf, AdamaxHyper h)
    {
        if (p.DType == DType.Float32)
            AdamaxKernel.Update<float>(p.Span<float>(), g.Span<float>(), expAvg.Span<float>(), expInf.Span<float>(), h);
        else
            AdamaxKernel.Update<double>(p.Span<double>(), g.Span<double>(), expAvg.Span<double>(), expInf.Span<double>(), h);
    }

    public void NAdamStep(StorageView p, StorageView g, StorageView expAvg, StorageView expAvgSq, NAdamHyper h)
    {
        if (p.DType == DType.Float32)
            NAdamKernel.Update<float>(p.Span<float>(), g.Span<float>(), expAvg.Span<float>(), expAvgSq.Span<float>(), h);
        else
            NAdamKernel.Update<double>(p.Span<double>(), g.Span<double>(), expAvg.Span<double>(), expAvgSq.Span<double>(), h);
    }

    public void TotalNorm(StorageView[] xs, double normType, StorageView total) => total.Span<double>()[0] = GradNorm.Total(xs, normType);

    public void ScaleToNorm(StorageView[] xs, StorageView total, double maxNorm)
    {
        double coef = maxNorm / (total.Span<double>()[0] + 1e-6);
        if (coef < 1)
            GradNorm.Scale(xs, coef);
    }
}
