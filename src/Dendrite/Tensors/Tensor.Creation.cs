using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>Seeds <see cref="Generator.Default"/> (like <c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(ulong seed) => Generator.Default.ManualSeed(seed);

    /// <summary>A new dense tensor on <paramref name="backend"/>'s device.</summary>
    internal static Tensor Allocate(int[] shape, DType dtype, bool zeroed, IBackend backend)
    {
        ValidateShape(shape, "Tensor");
        return new Tensor(NewStorage(backend, dtype, ShapeUtil.Numel(shape), zeroed), shape);
    }

    /// <summary>A new dense CPU tensor (creation helpers and the host data path).</summary>
    internal static Tensor AllocateHost(int[] shape, DType dtype, bool zeroed) => Allocate(shape, dtype, zeroed, Backends.Cpu.CpuBackend.Instance);

    /// <summary>A new dense tensor with <paramref name="like"/>'s shape on its device (shape and stride arrays are immutable, so they are shared).</summary>
    internal static Tensor AllocateLike(Tensor like, DType dtype, bool zeroed)
    {
        var storage = NewStorage(like.Backend, dtype, like.Numel, zeroed);
        return like.IsContiguous
            ? new Tensor(storage, like.ShapeArray, like.StrideArray, 0)
            : new Tensor(storage, like.ShapeArray);
    }

    private static Storage NewStorage(IBackend backend, DType dtype, int length, bool zeroed)
    {
        var s = backend.Allocate(dtype, length, zeroed);
        if (StorageRecycling.Marking)
            s.Recyclable = true;
        return s;
    }

    private static IBackend BackendOf(Device? device) => device is null ? Backends.Cpu.CpuBackend.Instance : BackendRegistry.Get(device);

    private static void ValidateShape(ReadOnlySpan<int> shape, string op)
    {
        foreach (int s in shape)
            if (s < 0)
                throw new ArgumentException($"{op}: negative dimension {s} in shape {ShapeUtil.Format(shape)}.");
    }

    /// <summary>A tensor with uninitialized contents.</summary>
    public static Tensor Empty(params ReadOnlySpan<int> shape) => Made(AllocateHost(shape.ToArray(), DType.Float32, false));

    /// <summary>A tensor with uninitialized contents on <paramref name="device"/> (default: the CPU).</summary>
    public static Tensor Empty(int[] shape, DType dtype = DType.Float32, Device? device = null) => Made(Allocate((int[])shape.Clone(), dtype, false, BackendOf(device)));

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape) => Made(AllocateHost(shape.ToArray(), DType.Float32, true));

    /// <summary>A tensor of zeros on <paramref name="device"/> (default: the CPU).</summary>
    public static Tensor Zeros(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false, Device? device = null)
    {
        var t = Allocate((int[])shape.Clone(), dtype, true, BackendOf(device));
        t.RequiresGrad = requiresGrad;
        return Made(t);
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(shape.ToArray(), 1.0);

    /// <summary>A tensor of ones on <paramref name="device"/> (default: the CPU).</summary>
    public static Tensor Ones(int[] shape, DType dtype = DType.Float32, bool requiresGrad = false, Device? device = null) => Full(shape, 1.0, dtype, requiresGrad, device);

    /// <summary>A tensor filled with <paramref name="value"/> on <paramref name="device"/> (default: the CPU).</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, bool requiresGrad = false, Device? device = null)
        => FullCore((int[])shape.Clone(), value, dtype, requiresGrad, BackendOf(device));

    /// <summary><see cref="Full"/> taking ownership of <paramref name="shape"/> (internal callers pass immutable shapes).</summary>
    internal static Tensor FullCore(int[] shape, double value, DType dtype, bool requiresGrad, IBackend backend)
    {
        var t = Allocate(shape, dtype, false, backend);
        t.FillUnchecked(value);
        t.RequiresGrad = requiresGrad;
        return Made(t);
    }

    /// <summary>A 0-dimensional tensor holding <paramref name="value"/> on <paramref name="device"/> (default: the CPU).</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, bool requiresGrad = false, Device? device = null)
        => FullCore(ScalarShape, value, dtype, requiresGrad, BackendOf(device));

    /// <summary>A 0-d tensor holding <paramref name="value"/> on <paramref name="backend"/>'s device.</summary>
    internal static Tensor Scalar(double value, DType dtype, IBackend backend) => FullCore(ScalarShape, value, dtype, false, backend);

    private static readonly int[] ScalarShape = [];

    /// <summary>Zeros with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor ZerosLike(Tensor other) => Made(AllocateLike(other, other.DType, true));

    /// <summary>Ones with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor OnesLike(Tensor other) => FullCore(other.ShapeArray, 1.0, other.DType, false, other.Backend);

    /// <summary><paramref name="value"/> with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor FullLike(Tensor other, double value) => FullCore(other.ShapeArray, value, other.DType, false, other.Backend);

    /// <summary>Uninitialized, with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor EmptyLike(Tensor other) => Made(AllocateLike(other, other.DType, false));

    /// <summary>Uniform [0, 1) with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor RandLike(Tensor other, Generator? generator = null) => Rand(other.ShapeArray, generator, other.DType, other.Device);

    /// <summary>Standard normal with the shape, dtype and device of <paramref name="other"/>.</summary>
    public static Tensor RandNLike(Tensor other, Generator? generator = null) => RandN(other.ShapeArray, generator, other.DType, other.Device);

    /// <summary>0, 1, ..., end-1 as Int64 (like <c>torch.arange(end)</c>).</summary>
    public static Tensor Arange(long end) => Arange(0, end, 1, DType.Int64);

    /// <summary>Values from <paramref name="start"/> up to (excluding) <paramref name="end"/> in steps of <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32, Device? device = null)
    {
        if (step == 0)
            throw new ArgumentException("Arange: step must be nonzero.");
        if ((end - start) / step < 0)
            throw new ArgumentException($"Arange: the range [{start}, {end}) with step {step} is empty in the wrong direction.");
        int n = (int)Math.Ceiling((end - start) / step);
        var t = AllocateHost([n], dtype, false);
        for (int i = 0; i < n; i++)
            t.SetFlat(i, start + i * step);
        return Made(t.ToDevice(device));
    }

    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32, Device? device = null)
    {
        if (steps < 0)
            throw new ArgumentException($"Linspace: number of steps must be non-negative, got {steps}.");
        var t = AllocateHost([steps], dtype, false);
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // Fill symmetrically from both ends, as PyTorch does, so the last value is exactly `end`.
        int half = steps / 2;
        for (int i = 0; i < steps; i++)
            t.SetFlat(i, i < half ? start + step * i : end - step * (steps - 1 - i));
        return Made(t.ToDevice(device));
    }

    /// <summary>An identity matrix with <paramref name="n"/> rows and <paramref name="m"/> (default n) columns.</summary>
    public static Tensor Eye(int n, int? m = null, DType dtype = DType.Float32, Device? device = null)
    {
        int cols = m ?? n;
        var t = AllocateHost([n, cols], dtype, true);
        for (int i = 0; i < Math.Min(n, cols); i++)
            t.SetFlat(i * cols + i, 1.0);
        return Made(t.ToDevice(device));
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor Rand(params ReadOnlySpan<int> shape) => Rand(shape.ToArray());

    /// <summary>Uniform samples in [0, 1) drawn from <paramref name="generator"/> (default: <see cref="Generator.Default"/>) on <paramref name="device"/>.</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"Rand: expected a floating-point dtype, got {dtype}.");
        var t = Allocate((int[])shape.Clone(), dtype, false, BackendOf(device));
        (generator ?? Generator.Default).FillUniform(t, 0, 1);
        return t;
    }

    /// <summary>Standard normal samples.</summary>
    public static Tensor RandN(params ReadOnlySpan<int> shape) => RandN(shape.ToArray());

    /// <summary>Standard normal samples drawn from <paramref name="generator"/> (default: <see cref="Generator.Default"/>) on <paramref name="device"/>.</summary>
    public static Tensor RandN(int[] shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"RandN: expected a floating-point dtype, got {dtype}.");
        var t = Allocate((int[])shape.Clone(), dtype, false, BackendOf(device));
        (generator ?? Generator.Default).FillNormal(t, 0, 1);
        return t;
    }

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>) as Int64.</summary>
    public static Tensor RandInt(long low, long high, int[] shape, Generator? generator = null, Device? device = null)
    {
        if (high <= low)
            throw new ArgumentException($"RandInt: high ({high}) must be greater than low ({low}).");
        var dims = (int[])shape.Clone();
        ValidateShape(dims, "RandInt");
        var g = generator ?? Generator.Default;
        var values = new long[ShapeUtil.Numel(dims)];
        for (int i = 0; i < values.Length; i++)
            values[i] = g.NextInt64(low, high);
        return Wrap(values, dims).ToDevice(device);
    }

    /// <summary>A random permutation of 0..n-1 as Int64 (like <c>torch.randperm</c>).</summary>
    public static Tensor RandPerm(int n, Generator? generator = null, Device? device = null)
    {
        var p = (generator ?? Generator.Default).Permutation(n);
        var values = new long[n];
        for (int i = 0; i < n; i++)
            values[i] = p[i];
        return Wrap(values, n).ToDevice(device);
    }

    /// <summary>A Float32 tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => FromArrayCore(data, shape, null);

    /// <summary>A Float64 tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(double[] data, params int[] shape) => FromArrayCore(data, shape, null);

    /// <summary>An Int64 tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(long[] data, params int[] shape) => FromArrayCore(data, shape, null);

    /// <summary>An Int64 tensor from int data, with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(int[] data, params int[] shape) => FromArrayCore(System.Array.ConvertAll(data, v => (long)v), shape, null);

    /// <summary>A Bool tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(bool[] data, params int[] shape) => FromArrayCore(data, shape, null);

    /// <summary>A Float32 tensor on <paramref name="device"/> holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray(float[] data, int[] shape, Device device) => FromArrayCore(data, shape, device);

    /// <summary>A Float64 tensor on <paramref name="device"/> holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray(double[] data, int[] shape, Device device) => FromArrayCore(data, shape, device);

    /// <summary>An Int64 tensor on <paramref name="device"/> holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray(long[] data, int[] shape, Device device) => FromArrayCore(data, shape, device);

    /// <summary>A Bool tensor on <paramref name="device"/> holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray(bool[] data, int[] shape, Device device) => FromArrayCore(data, shape, device);

    /// <summary>A 2-D Float32 tensor from a rectangular array, on <paramref name="device"/> (default: the CPU).</summary>
    public static Tensor FromArray(float[,] data, Device? device = null)
    {
        var flat = new float[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, data.Length * sizeof(float));
        return Made(Wrap(flat, data.GetLength(0), data.GetLength(1)).ToDevice(device));
    }

    /// <summary>A 2-D Float64 tensor from a rectangular array, on <paramref name="device"/> (default: the CPU).</summary>
    public static Tensor FromArray(double[,] data, Device? device = null)
    {
        var flat = new double[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, data.Length * sizeof(double));
        return Made(Wrap(flat, data.GetLength(0), data.GetLength(1)).ToDevice(device));
    }

    private static Tensor FromArrayCore<T>(T[] data, int[] shape, Device? device) where T : unmanaged
    {
        const string op = "FromArray";
        ArgumentNullException.ThrowIfNull(data);
        int[] s = shape.Length == 0 ? [data.Length] : (int[])shape.Clone();
        ValidateShape(s, op);
        int n = ShapeUtil.Numel(s);
        if (n != data.Length)
            throw new ArgumentException($"{op}: shape {ShapeUtil.Format(s)} needs {n} elements but the array has {data.Length}.");
        return Made(new Tensor(BackendOf(device).FromHost((T[])data.Clone()), s));
    }

    /// <summary>
    /// A new leaf holding a copy of <paramref name="source"/>'s elements on its device, cut off from autograd and
    /// converted to <paramref name="dtype"/> when given (like <c>torch.tensor(t, dtype=...)</c>).
    /// </summary>
    public static Tensor FromTensor(Tensor source, DType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var d = source.Detach();
        return dtype is { } dt && dt != d.DType ? d.To(dt) : d.CopyDense();
    }

    /// <summary>Wraps <paramref name="data"/> without copying (the CPU tensor and the array share memory).</summary>
    internal static Tensor Wrap<T>(T[] data, params int[] shape) where T : unmanaged => new(Backends.Cpu.CpuBackend.Instance.FromHost(data), shape);

    /// <summary>This CPU tensor moved to <paramref name="device"/> (itself when null or the CPU).</summary>
    private Tensor ToDevice(Device? device) => device is null ? this : To(device);

    // A creation function's result: a constant of a traced forward pass (random fills are not constants and are not
    // reported, so a trace refuses them).
    private static Tensor Made(Tensor t) => OpTrace.IsActive ? OpTrace.Constant(t) : t;
}
