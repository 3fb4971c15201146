namespace Dendrite.NN;

/// <summary>
/// The shared implementation of <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/> (PyTorch's <c>_BatchNorm</c>):
/// per-channel normalization with learnable <c>weight</c> (γ, ones) and <c>bias</c> (β, zeros), and the buffers
/// <c>running_mean</c> (zeros), <c>running_var</c> (ones) and <c>num_batches_tracked</c> (Int64 scalar).
/// In training it normalizes with batch statistics and updates the running ones:
/// running = (1 − m)·running + m·batch (unbiased variance), m = momentum, or 1/num_batches_tracked when momentum
/// is null (a cumulative average). In evaluation it normalizes with the running statistics.
/// </summary>
public abstract class BatchNorm : Module
{
    /// <summary>Creates the layer and its parameters and buffers.</summary>
    private protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        if (numFeatures <= 0)
            throw new ArgumentException($"{GetType().Name}: numFeatures must be positive, got {numFeatures}.");
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"{GetType().Name}: dtype must be floating-point, got {dtype}.");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        RegisterParameter("weight", affine ? Tensor.Ones([numFeatures], dtype) : null);
        RegisterParameter("bias", affine ? Tensor.Zeros([numFeatures], dtype) : null);
        RunningMean = RegisterBuffer("running_mean", trackRunningStats ? Tensor.Zeros([numFeatures], dtype) : null);
        RunningVar = RegisterBuffer("running_var", trackRunningStats ? Tensor.Ones([numFeatures], dtype) : null);
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", trackRunningStats ? Tensor.Zeros([], DType.Int64) : null);
    }

    /// <summary>Number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }

    /// <summary>Weight of the batch statistic in the running update; null for a cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>Whether the layer has learnable weight and bias.</summary>
    public bool Affine { get; }

    /// <summary>Whether running statistics are kept (otherwise batch statistics are used in evaluation too).</summary>
    public bool TrackRunningStats { get; }

    /// <summary>Scale γ [C], or null.</summary>
    public Tensor? Weight => OwnParameter("weight");

    /// <summary>Shift β [C], or null.</summary>
    public Tensor? Bias => OwnParameter("bias");

    /// <summary>Running mean [C], or null.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>Running (unbiased) variance [C], or null.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>Number of training batches seen (Int64 scalar), or null.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>Throws unless <paramref name="input"/> has the rank this layer accepts.</summary>
    private protected abstract void CheckInput(Tensor input);

    /// <summary>Normalizes [N, C, ...] per channel.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        if (input.ShapeArray[1] != NumFeatures)
            throw new ArgumentException($"{GetType().Name}: expected {NumFeatures} channels (dim 1), got input of shape {ShapeUtil.Format(input.ShapeArray)}.");
        double factor = Momentum ?? 0;
        if (IsTraining && TrackRunningStats && NumBatchesTracked is not null)
        {
            using (Autograd.Autograd.NoGrad())
                NumBatchesTracked.Fill(NumBatchesTracked.Item<long>() + 1);
            factor = Momentum ?? 1.0 / NumBatchesTracked.Item<long>();
        }
        // Batch statistics in training, and always when no running statistics are kept.
        bool useBatchStats = IsTraining || RunningMean is null;
        bool passRunning = !IsTraining || TrackRunningStats;
        return F.BatchNorm(input, passRunning ? RunningMean : null, passRunning ? RunningVar : null, Weight, Bias, useBatchStats, factor, Eps);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() =>
        $"{NumFeatures}, eps={PyRepr.Float(Eps)}, momentum={(Momentum is { } m ? PyRepr.Float(m) : "None")}, affine={PyRepr.Bool(Affine)}, track_running_stats={PyRepr.Bool(TrackRunningStats)}";
}

/// <summary>Batch normalization of [N, C] or [N, C, L] (like <c>torch.nn.BatchNorm1d</c>); see <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    private protected override void CheckInput(Tensor input)
    {
        if (input.Rank is not (2 or 3))
            throw new ArgumentException($"BatchNorm1d: expected 2-D [N, C] or 3-D [N, C, L] input, got shape {ShapeUtil.Format(input.ShapeArray)}.");
    }
}

/// <summary>Batch normalization of [N, C, H, W] (like <c>torch.nn.BatchNorm2d</c>); see <see cref="BatchNorm"/>.</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    private protected override void CheckInput(Tensor input)
    {
        if (input.Rank != 4)
            throw new ArgumentException($"BatchNorm2d: expected 4-D [N, C, H, W] input, got shape {ShapeUtil.Format(input.ShapeArray)}.");
    }
}
