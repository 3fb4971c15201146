using System.Numerics;

namespace Dendrite.Backends.Cpu;

// Class-index losses (cross-entropy, NLL) over dense scores [M, C] and Int64 labels [M]; sums run in row order in double.
internal sealed partial class CpuBackend
{
    public (long Position, long Value)? FindInvalidLabel(StorageView labels, long classes, long ignoreIndex)
    {
        var values = labels.IsContiguous ? labels.Span<long>() : GatherNew<long>(labels);
        for (int i = 0; i < values.Length; i++)
        {
            long v = values[i];
            if ((ulong)v >= (ulong)classes && v != ignoreIndex)
                return (i, v);
        }
        return null;
    }

    public void CrossEntropy(StorageView logits, StorageView labels, StorageView? weight, int m, int c, double smoothing, long ignoreIndex,
        StorageView lse, StorageView perRow)
    {
        ReadOnlySpan<double> w = Optional<double>(weight);
        if (logits.DType == DType.Float32)
            CrossEntropyKernel.Forward<float>(logits.Span<float>(), m, c, labels.Span<long>(), w, smoothing, ignoreIndex, lse.Span<double>(),
                perRow.Span<double>());
        else
            CrossEntropyKernel.Forward<double>(logits.Span<double>(), m, c, labels.Span<long>(), w, smoothing, ignoreIndex, lse.Span<double>(),
                perRow.Span<double>());
    }

    public void CrossEntropyBackward(StorageView logits, StorageView labels, StorageView? weight, StorageView lse, StorageView gy,
        StorageView? denominator, int m, int c, double smoothing, long ignoreIndex, StorageView dLogits)
    {
        ReadOnlySpan<double> w = Optional<double>(weight);
        bool perRowGrad = denominator is null;
        double denom = denominator is { } dv ? dv.Span<double>()[0] : 1;
        if (logits.DType == DType.Float32)
            CrossEntropyKernel.Backward<float>(logits.Span<float>(), dLogits.Span<float>(), m, c, labels.Span<long>(), w, lse.Span<double>(),
                gy.Span<float>(), perRowGrad, denom, smoothing, ignoreIndex);
        else
            CrossEntropyKernel.Backward<double>(logits.Span<double>(), dLogits.Span<double>(), m, c, labels.Span<long>(), w, lse.Span<double>(),
                gy.Span<double>(), perRowGrad, denom, smoothing, ignoreIndex);
    }

    public void NllLoss(StorageView logProbs, StorageView labels, StorageView? weight, int m, int c, long ignoreIndex, StorageView perRow)
    {
        ReadOnlySpan<double> w = Optional<double>(weight);
        ReadOnlySpan<long> y = labels.Span<long>();
        Span<double> loss = perRow.Span<double>();
        if (logProbs.DType == DType.Float32)
            NllRows<float>(logProbs.Span<float>(), c, y, w, ignoreIndex, loss);
        else
            NllRows<double>(logProbs.Span<double>(), c, y, w, ignoreIndex, loss);
    }

    // loss_i = −w_y·lp[i, y] (0 for ignored rows).
    private static void NllRows<T>(ReadOnlySpan<T> lp, int c, ReadOnlySpan<long> labels, ReadOnlySpan<double> w, long ignoreIndex,
        Span<double> loss) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < labels.Length; i++)
        {
            long y = labels[i];
            if (y == ignoreIndex)
            {
                loss[i] = 0;
                continue;
            }
            double wy = w.IsEmpty ? 1.0 : w[(int)y];
            loss[i] = -wy * double.CreateTruncating(lp[i * c + (int)y]);
        }
    }

    public void NllLossBackward(StorageView labels, StorageView? weight, StorageView gy, StorageView? denominator, int m, int c,
        long ignoreIndex, StorageView dLogProbs)
    {
        ReadOnlySpan<double> w = Optional<double>(weight);
        ReadOnlySpan<long> y = labels.Span<long>();
        double denom = denominator is { } dv ? dv.Span<double>()[0] : 1;
        if (gy.DType == DType.Float32)
            NllScatter<float>(gy.Span<float>(), denominator is null, denom, c, y, w, ignoreIndex, dLogProbs.Span<float>());
        else
            NllScatter<double>(gy.Span<double>(), denominator is null, denom, c, y, w, ignoreIndex, dLogProbs.Span<double>());
    }

    // d[i, y] = −s_i·w_y, zero elsewhere.
    private static void NllScatter<T>(ReadOnlySpan<T> g, bool perRowGrad, double denominator, int c, ReadOnlySpan<long> labels,
        ReadOnlySpan<double> w, long ignoreIndex, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        d.Clear();
        for (int i = 0; i < labels.Length; i++)
        {
            long y = labels[i];
            if (y == ignoreIndex)
                continue;
            double s = perRowGrad ? double.CreateTruncating(g[i]) : double.CreateTruncating(g[0]) / denominator;
            d[i * c + (int)y] = T.CreateTruncating(-s * (w.IsEmpty ? 1.0 : w[(int)y]));
        }
    }

    public void ReduceClassLoss(StorageView perRow, StorageView labels, StorageView? weight, long ignoreIndex, bool mean,
        StorageView output, StorageView denominator)
    {
        ReadOnlySpan<double> w = Optional<double>(weight);
        double denom = 1;
        if (mean)
        {
            denom = 0;
            foreach (long y in labels.Span<long>())
                if (y != ignoreIndex)
                    denom += w.IsEmpty ? 1.0 : w[(int)y];
        }
        double total = 0;
        foreach (double v in perRow.Span<double>())
            total += v;
        denominator.Span<double>()[0] = denom;
        if (output.DType == DType.Float32)
            output.Span<float>()[0] = (float)(total / denom);
        else
            output.Span<double>()[0] = total / denom;
    }
}
