namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>Seeds <see cref="Generator.Default"/> (like <c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(ulong seed) => Generator.Default.ManualSeed(seed);

    internal static Tensor Allocate(int[] shape, DType dtype, bool zeroed)
    {
        ValidateShape(shape, "Tensor");
        return new Tensor(Storage.Allocate(dtype, ShapeUtil.Numel(shape), zeroed), shape);
    }

    /// <summary>A new dense tensor with <paramref name="like"/>'s shape (shape and stride arrays are immutable, so they are shared).</summary>
    internal static Tensor AllocateLike(Tensor like, DType dtype, bool zeroed)
    {
        var storage = Storage.Allocate(dtype, like.Numel, zeroed);
        return like.IsContiguous
            ? new Tensor(storage, like.ShapeArray, like.StrideArray, 0)
            : new Tensor(storage, like.ShapeArray);
    }

    private static void ValidateShape(ReadOnlySpan<int> shape, string op)
    {
        foreach (int s in shape)
            if (s < 0)
                throw new ArgumentException($"{op}: negative dimension {s} in shape {ShapeUtil.Format(shape)}.");
    }

    /// <summary>A tensor with uninitialized contents.</summary>
    public static Tensor Empty(params ReadOnlySpan<int> shape) => Allocate(shape.ToArray(), DType.Float32, false);

    /// <summary>A tensor with uninitialized contents.</summary>
    public static Tensor Empty(int[] shape, DType dtype) => Allocate((int[])shape.Clone(), dtype, false);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape) => Allocate(shape.ToArray(), DType.Float32, true);

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(int[] shape, DType dtype, bool requiresGrad = false)
    {
        var t = Allocate((int[])shape.Clone(), dtype, true);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(shape.ToArray(), 1.0);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(int[] shape, DType dtype, bool requiresGrad = false) => Full(shape, 1.0, dtype, requiresGrad);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, double value, DType dtype = DType.Float32, bool requiresGrad = false)
        => FullCore((int[])shape.Clone(), value, dtype, requiresGrad);

    /// <summary><see cref="Full"/> taking ownership of <paramref name="shape"/> (internal callers pass immutable shapes).</summary>
    internal static Tensor FullCore(int[] shape, double value, DType dtype, bool requiresGrad = false)
    {
        var t = Allocate(shape, dtype, false);
        t.FillUnchecked(value);
        t.RequiresGrad = requiresGrad;
        return t;
    }

    /// <summary>A 0-dimensional tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(double value, DType dtype = DType.Float32, bool requiresGrad = false) => FullCore(ScalarShape, value, dtype, requiresGrad);

    private static readonly int[] ScalarShape = [];

    /// <summary>Zeros with the shape and dtype of <paramref name="other"/>.</summary>
    public static Tensor ZerosLike(Tensor other) => AllocateLike(other, other.DType, true);

    /// <summary>Ones with the shape and dtype of <paramref name="other"/>.</summary>
    public static Tensor OnesLike(Tensor other) => FullCore(other.ShapeArray, 1.0, other.DType);

    /// <summary><paramref name="value"/> with the shape and dtype of <paramref name="other"/>.</summary>
    public static Tensor FullLike(Tensor other, double value) => FullCore(other.ShapeArray, value, other.DType);

    /// <summary>Uninitialized, with the shape and dtype of <paramref name="other"/>.</summary>
    public static Tensor EmptyLike(Tensor other) => AllocateLike(other, other.DType, false);

    /// <summary>Uniform [0, 1) with the shape and dtype of <paramref name="other"/>.</summary>
    public static Tensor RandLike(Tensor other, Generator? generator = null) => Rand(other.ShapeArray, generator, other.DType);

    /// <summary>Standard normal with the shape and dtype of <paramref name="other"/>.</summary>
    public static Tensor RandNLike(Tensor other, Generator? generator = null) => RandN(other.ShapeArray, generator, other.DType);

    /// <summary>0, 1, ..., end-1 as Int64 (like <c>torch.arange(end)</c>).</summary>
    public static Tensor Arange(long end) => Arange(0, end, 1, DType.Int64);

    /// <summary>Values from <paramref name="start"/> up to (excluding) <paramref name="end"/> in steps of <paramref name="step"/>.</summary>
    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Float32)
    {
        if (step == 0)
            throw new ArgumentException("Arange: step must be nonzero.");
        if ((end - start) / step < 0)
            throw new ArgumentException($"Arange: the range [{start}, {end}) with step {step} is empty in the wrong direction.");
        int n = (int)Math.Ceiling((end - start) / step);
        var t = Allocate([n], dtype, false);
        for (int i = 0; i < n; i++)
            t.SetFlat(i, start + i * step);
        return t;
    }

    /// <summary><paramref name="steps"/> evenly spaced values from <paramref name="start"/> to <paramref name="end"/> inclusive.</summary>
    public static Tensor Linspace(double start, double end, int steps, DType dtype = DType.Float32)
    {
        if (steps < 0)
            throw new ArgumentException($"Linspace: number of steps must be non-negative, got {steps}.");
        var t = Allocate([steps], dtype, false);
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // Fill symmetrically from both ends, as PyTorch does, so the last value is exactly `end`.
        int half = steps / 2;
        for (int i = 0; i < steps; i++)
            t.SetFlat(i, i < half ? start + step * i : end - step * (steps - 1 - i));
        return t;
    }

    /// <summary>An identity matrix with <paramref name="n"/> rows and <paramref name="m"/> (default n) columns.</summary>
    public static Tensor Eye(int n, int? m = null, DType dtype = DType.Float32)
    {
        int cols = m ?? n;
        var t = Allocate([n, cols], dtype, true);
        for (int i = 0; i < Math.Min(n, cols); i++)
            t.SetFlat(i * cols + i, 1.0);
        return t;
    }

    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor Rand(params ReadOnlySpan<int> shape) => Rand(shape.ToArray());

    /// <summary>Uniform samples in [0, 1) drawn from <paramref name="generator"/> (default: <see cref="Generator.Default"/>).</summary>
    public static Tensor Rand(int[] shape, Generator? generator = null, DType dtype = DType.Float32)
    {
        var t = Allocate((int[])shape.Clone(), dtype, false);
        var g = generator ?? Generator.Default;
        if (dtype == DType.Float32)
            g.FillUniform(t.Span<float>(), 0, 1);
        else if (dtype == DType.Float64)
            g.FillUniform(t.Span<double>(), 0, 1);
        else
            throw new ArgumentException($"Rand: expected a floating-point dtype, got {dtype}.");
        return t;
    }

    /// <summary>Standard normal samples.</summary>
    public static Tensor RandN(params ReadOnlySpan<int> shape) => RandN(shape.ToArray());

    /// <summary>Standard normal samples drawn from <paramref name="generator"/> (default: <see cref="Generator.Default"/>).</summary>
    public static Tensor RandN(int[] shape, Generator? generator = null, DType dtype = DType.Float32)
    {
        var t = Allocate((int[])shape.Clone(), dtype, false);
        var g = generator ?? Generator.Default;
        if (dtype == DType.Float32)
            g.FillNormal(t.Span<float>());
        else if (dtype == DType.Float64)
            g.FillNormal(t.Span<double>());
        else
            throw new ArgumentException($"RandN: expected a floating-point dtype, got {dtype}.");
        return t;
    }

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>) as Int64.</summary>
    public static Tensor RandInt(long low, long high, int[] shape, Generator? generator = null)
    {
        if (high <= low)
            throw new ArgumentException($"RandInt: high ({high}) must be greater than low ({low}).");
        var t = Allocate((int[])shape.Clone(), DType.Int64, false);
        var g = generator ?? Generator.Default;
        var s = t.Span<long>();
        for (int i = 0; i < s.Length; i++)
            s[i] = g.NextInt64(low, high);
        return t;
    }

    /// <summary>A random permutation of 0..n-1 as Int64 (like <c>torch.randperm</c>).</summary>
    public static Tensor RandPerm(int n, Generator? generator = null)
    {
        var p = (generator ?? Generator.Default).Permutation(n);
        var t = Allocate([n], DType.Int64, false);
        var s = t.Span<long>();
        for (int i = 0; i < n; i++)
            s[i] = p[i];
        return t;
    }

    /// <summary>A Float32 tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => FromArrayCore(data, shape, "FromArray");

    /// <summary>A Float64 tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(double[] data, params int[] shape) => FromArrayCore(data, shape, "FromArray");

    /// <summary>An Int64 tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(long[] data, params int[] shape) => FromArrayCore(data, shape, "FromArray");

    /// <summary>An Int64 tensor from int data, with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(int[] data, params int[] shape) => FromArrayCore(System.Array.ConvertAll(data, v => (long)v), shape, "FromArray");

    /// <summary>A Bool tensor over a copy of <paramref name="data"/> with the given shape (default: 1-D).</summary>
    public static Tensor FromArray(bool[] data, params int[] shape) => FromArrayCore(data, shape, "FromArray");

    /// <summary>A 2-D Float32 tensor from a rectangular array.</summary>
    public static Tensor FromArray(float[,] data)
    {
        var flat = new float[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, data.Length * sizeof(float));
        return new Tensor(new Storage<float>(flat), [data.GetLength(0), data.GetLength(1)]);
    }

    /// <summary>A 2-D Float64 tensor from a rectangular array.</summary>
    public static Tensor FromArray(double[,] data)
    {
        var flat = new double[data.Length];
        Buffer.BlockCopy(data, 0, flat, 0, data.Length * sizeof(double));
        return new Tensor(new Storage<double>(flat), [data.GetLength(0), data.GetLength(1)]);
    }

    private static Tensor FromArrayCore<T>(T[] data, int[] shape, string op) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        int[] s = shape.Length == 0 ? [data.Length] : (int[])shape.Clone();
        ValidateShape(s, op);
        int n = ShapeUtil.Numel(s);
        if (n != data.Length)
            throw new ArgumentException($"{op}: shape {ShapeUtil.Format(s)} needs {n} elements but the array has {data.Length}.");
        return new Tensor(new Storage<T>((T[])data.Clone()), s);
    }

    /// <summary>Wraps <paramref name="data"/> without copying (the tensor and the array share memory).</summary>
    internal static Tensor Wrap<T>(T[] data, params int[] shape) where T : unmanaged => new(new Storage<T>(data), shape);
}
