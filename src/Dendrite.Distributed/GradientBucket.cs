using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Distributed;

/// <summary>
/// A run of same-dtype parameters whose gradients are averaged with one all-reduce: the gradients are flattened into
/// one host buffer, followed by one flag per parameter (1 when this rank has its gradient), summed over the ranks,
/// divided by the number of ranks and written back. A parameter without a gradient on some rank counts as zero there;
/// one without a gradient on every rank keeps none. On the CPU the averaged gradients stay in the buffer: each
/// parameter's <c>Grad</c> becomes a view of its part (PyTorch's <c>gradient_as_bucket_view</c>), so the next backward
/// pass accumulates straight into the buffer (<c>ZeroGrad</c> zeroes it in place) and nothing is copied; a gradient
/// that is not such a view (the first step, or after <c>ZeroGrad(setToNone: true)</c>) is copied in once. On another
/// device the gradients are concatenated there, so the buffer crosses to the host and back once per bucket.
/// </summary>
internal sealed class GradientBucket
{
    private readonly Tensor[] _params;
    private readonly int[] _offsets;
    private readonly Array _buffer;
    private Tensor[]? _views; // on the CPU: each parameter's part of the buffer, shaped like it

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
            // The CPU backend keeps the array itself: these views are the buffer.
            _views ??= Views(new Tensor(_params[0].Backend.FromHost(buffer), [buffer.Length]));
            for (int i = 0; i < _params.Length; i++)
            {
                var g = _params[i].Grad;
                if (g is null)
                    buffer.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]).Clear();
                else if (!ReferenceEquals(g, _views[i]))
                    g.CopyToHost(buffer, _offsets[i]);
            }
        }
        else
        {
            var flat = Tensor.Cat([.. _params.Select(p => (p.Grad ?? Tensor.ZerosLike(p)).Reshape(-1))]);
            flat.CopyToHost(buffer, 0);
        }
        group.AllReduce(buffer.AsSpan());
        TensorPrimitives.Divide(buffer.AsSpan(0, n), T.CreateChecked(group.Size), buffer.AsSpan(0, n));
        if (device == Device.Cpu)
        {
            for (int i = 0; i < _params.Length; i++)
                if (flags[i] != T.Zero) // else no rank has a gradient for it
                    _params[i].Grad = _views![i];
            return;
        }
        // Another device: the buffer goes over once, and each gradient takes its part there.
        var averaged = Views(new Tensor(_params[0].Backend.FromHost(buffer), [buffer.Length]));
        for (int i = 0; i < _params.Length; i++)
        {
            var p = _params[i];
            if (flags[i] == T.Zero)
                continue;
            if (p.Grad is null)
                p.Grad = averaged[i].Clone();
            else
                p.Grad.CopyFrom(averaged[i]);
        }
    }

    // Each parameter's part of a flat tensor laid out like the buffer, shaped like the parameter.
    private Tensor[] Views(Tensor flat) =>
        [.. _params.Select((p, i) => flat.Narrow(0, _offsets[i], _offsets[i + 1] - _offsets[i]).View(p.ShapeArray))];

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
