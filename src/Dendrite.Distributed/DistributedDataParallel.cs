using System.Diagnostics;
using System.Text;
using Dendrite.NN;
using Dendrite.Training;

namespace Dendrite.Distributed;

/// <summary>
/// Data-parallel training of one model by several processes (PyTorch's <c>DistributedDataParallel</c>): every rank
/// builds the same model and wraps it; the constructor copies rank 0's parameters and buffers to every rank, and
/// after each <c>Backward()</c> the gradients are averaged over the ranks, so that every rank's optimizer takes the
/// same step and the replicas stay identical. Each rank feeds its own part of every batch (a
/// <see cref="DistributedSampler"/>); averaging the gradients of equal parts gives the gradient of the whole batch.
/// </summary>
/// <remarks>
/// <para>The gradients are flattened into buckets of at most <c>bucketCapMB</c> megabytes (one per run of parameters of
/// one dtype, in parameter order) and each bucket is averaged with one all-reduce, once the backward pass has
/// delivered every gradient (a post-accumulate hook on each parameter queues the averaging for the end of the pass).
/// A parameter that got no gradient on some rank counts as zero there; one without a gradient on every rank keeps
/// none. On the CPU each parameter's <c>Grad</c> becomes a view of its bucket after the first step (PyTorch's
/// <c>gradient_as_bucket_view</c>), so later backward passes accumulate into the buckets and averaging copies nothing;
/// on a GPU device each bucket's gradients are concatenated on the device and cross to the host and back once.</para>
/// <para>Buffers (BatchNorm's running statistics) are copied from rank 0 once, at construction, and then stay per rank
/// (PyTorch's <c>broadcast_buffers=False</c>): each rank normalizes with its own batches' statistics.
/// <see cref="Module.StateDict"/> of the wrapper names the entries <c>module.*</c>, as in PyTorch;
/// <see cref="Trainer"/> saves the wrapped <see cref="Module"/>'s own state, which loads into the plain model.</para>
/// <para>With a group of size 1 the wrapper changes nothing: gradients are left as backward computed them.</para>
/// </remarks>
public sealed class DistributedDataParallel : Module, IDistributedModel
{
    private readonly Module _module;
    private readonly List<GradientBucket> _buckets;
    private readonly Action _average;
    private long _averagingTicks;

    /// <summary>Wraps <paramref name="module"/> for training over <paramref name="group"/> (default: <see cref="ProcessGroup.Init"/>).</summary>
    /// <param name="module">The model, built the same way on every rank, already on its device.</param>
    /// <param name="group">The processes training it.</param>
    /// <param name="bucketCapMB">The largest bucket of gradients averaged by one all-reduce, in megabytes (2^20 bytes).</param>
    public DistributedDataParallel(Module module, ProcessGroup? group = null, double bucketCapMB = 4)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (!double.IsFinite(bucketCapMB) || bucketCapMB <= 0)
            throw new ArgumentOutOfRangeException(nameof(bucketCapMB), bucketCapMB, "DistributedDataParallel: the bucket cap must be a positive number of megabytes.");
        _module = RegisterModule("module", module);
        Group = group ?? ProcessGroup.Init();
        var parameters = module.NamedParameters().Where(p => p.Tensor.RequiresGrad).ToList();
        var buffers = module.NamedBuffers().ToList();
        CheckSameModel(parameters.Concat(buffers));
        foreach (var (_, t) in module.NamedParameters().Concat(buffers))
            BroadcastFromRank0(t);
        _buckets = parameters.Count == 0 ? [] : GradientBucket.Build(parameters.Select(p => p.Tensor), (long)(bucketCapMB * (1 << 20)));
        _average = AverageGradients;
        foreach (var (_, p) in parameters)
            p.RegisterPostAccumulateGradHook(OnGradientAccumulated);
    }

    /// <summary>The wrapped model.</summary>
    public Module Module => _module;

    /// <summary>The processes training the model.</summary>
    public ProcessGroup Group { get; }

    IProcessGroup IDistributedModel.Group => Group;

    /// <summary>The number of gradient buckets (each averaged with one all-reduce per backward pass).</summary>
    public int BucketCount => _buckets.Count;

    /// <summary>The bytes of gradient in each bucket, in order.</summary>
    public IReadOnlyList<long> BucketBytes => [.. _buckets.Select(b => b.Bytes)];

    /// <summary>
    /// The time spent averaging gradients so far (copies to and from the buckets and the all-reduces, including any
    /// wait for slower ranks): the communication cost of training, for comparison with the epoch time.
    /// </summary>
    public TimeSpan GradientAveragingTime => Stopwatch.GetElapsedTime(0, _averagingTicks);

    /// <summary>The wrapped model's output.</summary>
    public override Tensor Forward(Tensor input) => _module.Forward(input);

    // Every parameter's hook queues the same callback; the pass runs it once, after the last gradient.
    private void OnGradientAccumulated(Tensor parameter)
    {
        if (Group.Size > 1)
            Autograd.Autograd.QueueCallback(_average);
    }

    private void AverageGradients()
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            foreach (var bucket in _buckets)
                bucket.Average(Group);
        }
        finally
        {
            _averagingTicks += Stopwatch.GetTimestamp() - start;
        }
    }

    // Every rank must wrap the same architecture: compare a fingerprint of the names, shapes and dtypes, so that a
    // mismatch is an error on every rank rather than a collective of different lengths.
    private void CheckSameModel(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        var text = new StringBuilder();
        long elements = 0;
        int count = 0;
        foreach (var (name, t) in tensors)
        {
            text.Append(name).Append(':').Append(t.DType).Append(':').Append(string.Join(",", t.Shape.ToArray())).Append(';');
            elements += t.Numel;
            count++;
        }
        long[] mine = [Fingerprint(text.ToString()), count, elements];
        var all = new long[mine.Length * Group.Size];
        Group.AllGather<long>(mine, all);
        for (int r = 1; r < Group.Size; r++)
            if (all[r * 3] != all[0] || all[r * 3 + 1] != all[1] || all[r * 3 + 2] != all[2])
                throw new InvalidOperationException(
                    $"DistributedDataParallel: rank {r} wraps a different model than rank 0 ({all[r * 3 + 1]} parameters and buffers of {all[r * 3 + 2]} elements " +
                    $"against {all[1]} of {all[2]}, or other names, shapes or dtypes); every rank must build the same model.");
    }

    // FNV-1a over the UTF-8 bytes: the same on every process (string.GetHashCode is randomized per process).
    private static long Fingerprint(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
            h = (h ^ b) * 1099511628211UL;
        return unchecked((long)h);
    }

    // Rank 0's values of a parameter or buffer, copied in place on every other rank.
    private void BroadcastFromRank0(Tensor t)
    {
        if (Group.Size == 1)
            return;
        int[] shape = t.Shape.ToArray();
        Tensor source;
        switch (t.DType)
        {
            case DType.Float32:
            {
                var a = t.ToArray<float>();
                Group.Broadcast<float>(a);
                source = Tensor.FromArray(a, shape, t.Device);
                break;
            }
            case DType.Float64:
            {
                var a = t.ToArray<double>();
                Group.Broadcast<double>(a);
                source = Tensor.FromArray(a, shape, t.Device);
                break;
            }
            case DType.Int64:
            {
                var a = t.ToArray<long>();
                Group.Broadcast<long>(a);
                source = Tensor.FromArray(a, shape, t.Device);
                break;
            }
            default:
            {
                var a = t.ToArray<bool>().Select(b => b ? (byte)1 : (byte)0).ToArray();
                Group.Broadcast<byte>(a);
                source = Tensor.FromArray(a.Select(b => b != 0).ToArray(), shape, t.Device);
                break;
            }
        }
        if (Group.Rank != 0)
            using (Autograd.Autograd.NoGrad())
                t.CopyFrom(source.Reshape(shape)); // FromArray makes a 0-d tensor (BatchNorm's step count) 1-d
    }
}
