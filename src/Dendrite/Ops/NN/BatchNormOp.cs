using Dendrite.Autograd;
using Dendrite.Tracing;

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
    private Tensor? _mean;      // Float64 [C], on x's device
    private Tensor? _invStd;    // Float64 [C], σ⁻¹ = 1/√(var + eps)

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

        var backend = x.Backend;
        foreach (var t in (ReadOnlySpan<Tensor?>)[runningMean, runningVar, weight, bias])
            if (t is not null)
                Dispatch.Backend(op, x, t);

        var xc = x.Dense();
        Tensor mean, invStd;
        if (training)
        {
            mean = Tensor.Allocate([c], DType.Float64, false, backend);
            var batchVar = Tensor.Allocate([c], DType.Float64, false, backend);
            backend.BatchNormStatistics(xc.Raw, n, c, s, mean.Raw, batchVar.Raw);
            invStd = InvStd(batchVar, eps);
            UpdateRunning(runningMean, runningVar, mean, batchVar, momentum, m);
        }
        else
        {
            mean = Float64Copy(runningMean!);
            invStd = InvStd(Float64(runningVar!), eps);
        }

        var gamma = weight is null ? null : Float64(weight);
        var beta = bias is null ? null : Float64(bias);
        var y = Tensor.AllocateLike(x, x.DType, false);
        backend.BatchNorm(xc.Raw, n, c, s, mean.Raw, invStd.Raw, gamma?.Raw, beta?.Raw, y.Raw);
        if (OpTrace.IsActive)
            OpTrace.Record("BatchNorm", y, x, runningMean, runningVar, weight, bias).With("training", training).With("eps", eps).With("momentum", momentum);

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

    // t's values as a dense Float64 tensor (t itself when it is one).
    private static Tensor Float64(Tensor t) => t.Detach().To(DType.Float64).Dense();

    // A dense Float64 copy of t's values: a new tensor, so later in-place updates of t do not reach it.
    private static Tensor Float64Copy(Tensor t)
    {
        var d = t.Detach();
        return d.DType == DType.Float64 ? d.CopyDense() : d.To(DType.Float64).Dense();
    }

    // σ⁻¹ = 1/√(var + eps), per channel in float64.
    private static Tensor InvStd(Tensor variance, double eps)
    {
        using var _ = Autograd.Autograd.NoGrad();
        return Tensor.Scalar(1.0, DType.Float64, variance.Backend).Div(variance.Add(eps).Sqrt());
    }

    // running = (1 − momentum)·running + momentum·batch, with the unbiased variance; a version bump marks the write.
    private static void UpdateRunning(Tensor? runningMean, Tensor? runningVar, Tensor mean, Tensor biasedVar, double momentum, long m)
    {
        using var _ = Autograd.Autograd.NoGrad();
        if (runningMean is not null)
            Blend(runningMean, mean, momentum, 1.0);
        if (runningVar is not null)
            Blend(runningVar, biasedVar, momentum, m / (double)(m - 1));
    }

    // In float64, then rounded to the running tensor's dtype by the copy.
    private static void Blend(Tensor running, Tensor batch, double momentum, double scale) =>
        running.CopyFrom(running.Detach().To(DType.Float64).Mul(1 - momentum).Add(batch.Mul(momentum).Mul(scale)));

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        ThrowIfReleased();
        var x = Saved(0);
        var gamma = Inputs[1] is not null ? Float64(Saved(1)) : null;
        var g = gradOutput.Dense();
        var backend = x.Backend;
        int n = x.ShapeArray[0], c = x.ShapeArray[1], s = x.Numel / Math.Max(1, n * c);
        Tensor? dx = NeedsGrad(0) ? Tensor.AllocateLike(x, x.DType, false) : null;
        var sumG = Tensor.Allocate([c], DType.Float64, false, backend);
        var sumGxhat = Tensor.Allocate([c], DType.Float64, false, backend);
        backend.BatchNormBackward(x.Raw, g.Raw, n, c, s, _mean!.Raw, _invStd!.Raw, gamma?.Raw, _training, sumG.Raw, sumGxhat.Raw, dx?.Raw);
        Tensor? dGamma = NeedsGrad(1) ? sumGxhat.To(x.DType) : null;
        Tensor? dBeta = NeedsGrad(2) ? sumG.To(x.DType) : null;
        return [dx, dGamma, dBeta];
    }

    protected override void ReleaseState()
    {
        _mean = null;
        _invStd = null;
    }
}
