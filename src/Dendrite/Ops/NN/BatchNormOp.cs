using System.Numerics;
using System.Numerics.Tensors;
using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Batch normalization over x [N, C, *] with per-channel statistics over every dim but 1, fused with its
/// affine transform. Training normalizes with the biased batch variance and updates the running statistics
/// in place with the unbiased one; evaluation uses the running statistics.
/// Backward (training), per channel over its M = N·S elements:
/// dx = γ·σ⁻¹/M·(M·g − Σg − x̂·Σ(g·x̂)); (evaluation) dx = γ·σ⁻¹·g; dγ = Σ g·x̂, dβ = Σ g.
/// </summary>
internal sealed class BatchNormOp : GradFn
{
    private bool _training;
    private double[] _mean = [];
    private double[] _invStd = [];

    public override string Name => "NativeBatchNormBackward";

    public static Tensor Apply(Tensor x, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, double momentum, double eps)
    {
        const string op = "BatchNorm";
        if (x.Rank < 2)
            throw new ArgumentException($"{op}: input must be at least 2-D [N, C, ...], got shape {ShapeUtil.Format(x.ShapeArray)}.");
        x.CheckFloating(op);
        int n = x.ShapeArray[0], c = x.ShapeArray[1];
        int s = x.Numel / Math.Max(1, n * c);
        CheckChannelTensor(runningMean, "running mean", x, c);
        CheckChannelTensor(runningVar, "running variance", x, c);
        CheckChannelTensor(weight, "weight", x, c);
        CheckChannelTensor(bias, "bias", x, c);
        if (!(eps >= 0))
            throw new ArgumentException($"{op}: eps must be non-negative, got {eps}.");
        long m = (long)n * s;
        if (training && m <= 1)
            throw new ArgumentException($"{op}: expected more than 1 value per channel when training, got input of shape {ShapeUtil.Format(x.ShapeArray)}.");
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException($"{op}: evaluation mode needs the running mean and variance.");

        var xc = x.Dense();
        var mean = new double[c];
        var invStd = new double[c];
        if (training)
        {
            var batchVar = new double[c];
            if (x.DType == DType.Float32)
                Statistics<float>(xc.Span<float>(), n, c, s, mean, batchVar);
            else
                Statistics<double>(xc.Span<double>(), n, c, s, mean, batchVar);
            for (int ch = 0; ch < c; ch++)
                invStd[ch] = 1.0 / Math.Sqrt(batchVar[ch] + eps);
            UpdateRunning(runningMean, runningVar, mean, batchVar, momentum, m);
        }
        else
        {
            var rm = runningMean!.Detach().To(DType.Float64).Dense().Span<double>();
            var rv = runningVar!.Detach().To(DType.Float64).Dense().Span<double>();
            for (int ch = 0; ch < c; ch++)
            {
                mean[ch] = rm[ch];
                invStd[ch] = 1.0 / Math.Sqrt(rv[ch] + eps);
            }
        }

        double[]? gamma = weight is null ? null : weight.Detach().To(DType.Float64).Dense().ToArray<double>();
        double[]? beta = bias is null ? null : bias.Detach().To(DType.Float64).Dense().ToArray<double>();
        var y = Tensor.AllocateLike(x, x.DType, false);
        if (x.DType == DType.Float32)
            Normalize<float>(xc.Span<float>(), y.Span<float>(), n, c, s, mean, invStd, gamma, beta);
        else
            Normalize<double>(xc.Span<double>(), y.Span<double>(), n, c, s, mean, invStd, gamma, beta);

        if (!ShouldRecord(x, weight ?? x, bias))
            return y;
        var fn = new BatchNormOp { _training = training, _mean = mean, _invStd = invStd };
        if (weight is null)
            fn.Save(xc);
        else
            fn.Save(xc, weight);
        return Record(fn, y, x, weight, bias);
    }

    private static void CheckChannelTensor(Tensor? t, string what, Tensor x, int c)
    {
        if (t is null)
            return;
        if (t.Rank != 1 || t.ShapeArray[0] != c)
            throw new ArgumentException($"BatchNorm: {what} must have shape [{c}] for input {ShapeUtil.Format(x.ShapeArray)}, got {ShapeUtil.Format(t.ShapeArray)}.");
        if (!t.DType.IsFloatingPoint())
            throw new ArgumentException($"BatchNorm: {what} must be floating-point, got {t.DType}.");
    }

    // Per channel: mean and biased variance (two passes) over its N spans of S elements.
    private static void Statistics<T>(ReadOnlySpan<T> x, int n, int c, int s, double[] mean, double[] variance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double count = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            T sum = T.Zero;
            for (int i = 0; i < n; i++)
                sum += TensorPrimitives.Sum(x.Slice((i * c + ch) * s, s));
            T mu = sum / T.CreateTruncating(count);
            T sq = T.Zero;
            for (int i = 0; i < n; i++)
                sq += NNKernels.SumSquaredDeviation(x.Slice((i * c + ch) * s, s), mu);
            mean[ch] = double.CreateTruncating(mu);
            variance[ch] = double.CreateTruncating(sq) / count;
        }
    }

    // running = (1 − momentum)·running + momentum·batch, with the unbiased variance; a version bump marks the write.
    private static void UpdateRunning(Tensor? runningMean, Tensor? runningVar, double[] mean, double[] biasedVar, double momentum, long m)
    {
        using var _ = Autograd.Autograd.NoGrad();
        if (runningMean is not null)
            Blend(runningMean, mean, momentum, 1.0);
        if (runningVar is not null)
            Blend(runningVar, biasedVar, momentum, m / (double)(m - 1));
    }

    private static void Blend(Tensor running, double[] batch, double momentum, double scale)
    {
        var updated = running.Detach().To(DType.Float64).Dense().ToArray<double>();
        for (int i = 0; i < updated.Length; i++)
            updated[i] = (1 - momentum) * updated[i] + momentum * batch[i] * scale;
        running.CopyFrom(Tensor.FromArray(updated, running.ShapeArray.ToArray()));
    }

    // y = x·a + b per channel, a = γ·σ⁻¹, b = β − μ·a.
    private static void Normalize<T>(ReadOnlySpan<T> x, Span<T> y, int n, int c, int s, double[] mean, double[] invStd,
        double[]? gamma, double[]? beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ch = 0; ch < c; ch++)
        {
            double a = invStd[ch] * (gamma?[ch] ?? 1.0);
            double b = (beta?[ch] ?? 0.0) - mean[ch] * a;
            T ta = T.CreateTruncating(a), tb = T.CreateTruncating(b);
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                NNKernels.Affine(x.Slice(at, s), ta, tb, y.Slice(at, s));
            }
        }
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        double[]? gamma = Inputs[1] is not null
            ? Saved(1).Detach().To(DType.Float64).Dense().ToArray<double>() : null;
        var g = gradOutput.Dense();
        int n = x.ShapeArray[0], c = x.ShapeArray[1], s = x.Numel / Math.Max(1, n * c);
        Tensor? dx = NeedsGrad(0) ? Tensor.AllocateLike(x, x.DType, false) : null;
        var sumG = new double[c];
        var sumGxhat = new double[c];
        if (x.DType == DType.Float32)
            BackwardCore<float>(x.Span<float>(), g.Span<float>(), dx is null ? default : dx.Span<float>(), dx is not null, n, c, s, gamma, sumG, sumGxhat);
        else
            BackwardCore<double>(x.Span<double>(), g.Span<double>(), dx is null ? default : dx.Span<double>(), dx is not null, n, c, s, gamma, sumG, sumGxhat);
        Tensor? dGamma = NeedsGrad(1) ? Tensor.FromArray(sumGxhat, c).To(x.DType) : null;
        Tensor? dBeta = NeedsGrad(2) ? Tensor.FromArray(sumG, c).To(x.DType) : null;
        return [dx, dGamma, dBeta];
    }

    private void BackwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, Span<T> dx, bool needDx, int n, int c, int s, double[]? gamma,
        double[] sumG, double[] sumGxhat) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double m = (double)n * s;
        for (int ch = 0; ch < c; ch++)
        {
            T mu = T.CreateTruncating(_mean[ch]);
            T sg = T.Zero, sgx = T.Zero;
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                sg += TensorPrimitives.Sum(g.Slice(at, s));
                sgx += NNKernels.DotDeviation(g.Slice(at, s), x.Slice(at, s), mu);
            }
            double inv = _invStd[ch];
            sumG[ch] = double.CreateTruncating(sg);
            sumGxhat[ch] = double.CreateTruncating(sgx) * inv;
            if (!needDx)
                continue;
            double a = (gamma?[ch] ?? 1.0) * inv;
            // Training: dx = a·g + b·x + d with b = −a·σ⁻¹·Σ(g·x̂)/M and d = −a·Σg/M − b·μ. Evaluation: dx = a·g.
            double b = 0, d = 0;
            if (_training)
            {
                b = -a * inv * sumGxhat[ch] / m;
                d = -a * sumG[ch] / m - b * _mean[ch];
            }
            T ta = T.CreateTruncating(a), tb = T.CreateTruncating(b), td = T.CreateTruncating(d);
            for (int i = 0; i < n; i++)
            {
                int at = (i * c + ch) * s;
                Span<T> dst = dx.Slice(at, s);
                NNKernels.Affine(x.Slice(at, s), tb, td, dst);
                TensorPrimitives.MultiplyAdd(g.Slice(at, s), ta, dst, dst);
            }
        }
    }

    protected override void ReleaseState()
    {
        _mean = [];
        _invStd = [];
    }
}
