using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Distributed;

/// <summary>
/// A run of same-dtype parameters whose gradients are averaged with one all-reduce: the gradients are flattened into
/// one host buffer, followed by one flag per parameter (1 when this rank has its gradient), summed over the ranks,
/// divided by the number of ranks and written back. A parameter without a gradient on some rank counts as zero there;
/// one without a gradient on every rank keeps none. On the CPU each gradient is copied straight into the buffer and
/// back; on another device the gradients are concatenated there first, so the buffer crosses to the host and back
/// once per bucket.
/// </summary>
internal sealed class GradientBucket
{
    private readonly Tensor[] _params;
    private readonly int[] _offsets;
    private readonly Array _buffer;

    public GradientBucket(IReadOnlyList<Tensor> parameters)
    {
        _params = [.. parameters];
        DType = _params[0].DType;
        _offsets = new int[_params.Length + 1];
        for (int i = 0; i < _params.Length; i++)
            _offsets[i + 1] = checked(_offsets[i] + _params[i].Numel);
        int length = checked(Elements + _params.Length);
        _buffer = DType == DType.Float64 ? new double[length] : new float[length];
    }

    /// <summary>The parameters' dtype (Float32 or Float64).</summary>
    public DType DType { get; }

    /// <summary>The number of gradient elements.</summary>
    public int Elements => _offsets[^1];

    /// <summary>The number of parameters.</summary>
    public int Count => _params.Length;

    /// <summary>The bytes of gradient this bucket all-reduces.</summary>
    public long Bytes => (long)Elements * (DType == DType.Float64 ? 8 : 4);

    /// <summary>Replaces every parameter's gradient by its average over <paramref name="group"/>'s ranks.</summary>
    public void Average(ProcessGroup group)
    {
        if (_buffer is double[] d)
            Average(group, d);
        else
            Average(group, (float[])_buffer);
    }

    private void Average<T>(ProcessGroup group, T[] buffer) where T : unmanaged, INumber<T>
    {
        var device = _params[0].Device;
        foreach (var p in _params)
            if (p.Device != device)
                throw new InvalidOperationException($"DistributedDataParallel: the parameters are on {device} and {p.Device}; put the whole model on one device.");
        int n = Elements;
        var flags = buffer.AsSpan(n);
        for (int i = 0; i < _params.Length; i++)
            flags[i] = _params[i].Grad is null ? T.Zero : T.One;
        if (device == Device.Cpu)
        {
            for (int i = 0; i < _params.Length; i++)
            {
                if (_params[i].Grad is { } g)
                    g.CopyToHost(buffer, _offsets[i]);
                else
                    buffer.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]).Clear();
            }
        }
        else
        {
            var flat = Tensor.Cat([.. _params.Select(p => (p.Grad ?? Tensor.ZerosLike(p)).Reshape(-1))]);
            flat.CopyToHost(buffer, 0);
        }
        group.AllReduce(buffer.AsSpan());
        TensorPrimitives.Divide(buffer.AsSpan(0, n), T.CreateChecked(group.Size), buffer.AsSpan(0, n));
        // One storage over the buffer on the parameters' device: the CPU backend keeps the array itself, another
        // backend copies it over once.
        var averaged = new Tensor(_params[0].Backend.FromHost(buffer), [buffer.Length]);
        for (int i = 0; i < _params.Length; i++)
        {
            var p = _params[i];
            if (flags[i] == T.Zero)
                continue; // no rank has a gradient for it
            var slice = averaged.Narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]).View(p.ShapeArray);
            if (p.Grad is null)
                p.Grad = slice.Clone();
            else
                p.Grad.CopyFrom(slice);
        }
    }

    /// <summary>Splits <paramref name="parameters"/>, in order, into buckets of one dtype and at most <paramref name="capBytes"/> each (a larger parameter gets a bucket of its own).</summary>
    public static List<GradientBucket> Build(IEnumerable<Tensor> parameters, long capBytes)
    {
        var buckets = new List<GradientBucket>();
        var open = new List<(DType DType, List<Tensor> Params, long Bytes)>();
        foreach (var p in parameters)
        {
            if (!p.DType.IsFloatingPoint())
                throw new ArgumentException($"DistributedDataParallel: a parameter of dtype {p.DType} cannot be averaged; parameters must be Float32 or Float64.");
            long bytes = (long)p.Numel * (p.DType == DType.Float64 ? 8 : 4);
            int k = open.FindIndex(o => o.DType == p.DType);
            if (k < 0)
            {
                open.Add((p.DType, [], 0));
                k = open.Count - 1;
            }
            else if (open[k].Bytes + bytes > capBytes)
            {
                buckets.Add(new GradientBucket(open[k].Params));
                open[k] = (p.DType, [], 0);
            }
            open[k].Params.Add(p);
            open[k] = (p.DType, open[k].Params, open[k].Bytes + bytes);
        }
        foreach (var (_, list, _) in open)
            buckets.Add(new GradientBucket(list));
        return buckets;
    }
}
