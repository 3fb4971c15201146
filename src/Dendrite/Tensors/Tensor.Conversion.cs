using Dendrite.Backends.Cpu;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>This tensor if it is already contiguous, else a contiguous copy (recorded by autograd).</summary>
    public Tensor Contiguous() => IsContiguous ? this : Ops.CloneOp.Apply(this);

    /// <summary>A copy with its own storage (recorded by autograd; gradients flow back to this tensor).</summary>
    public Tensor Clone() => Ops.CloneOp.Apply(this);

    /// <summary>A dense copy of the elements, no autograd.</summary>
    internal Tensor CopyDense()
    {
        var t = AllocateLike(this, DType, false);
        CopyInto(t.Storage, 0);
        return t;
    }

    /// <summary>Writes this tensor's elements densely into <paramref name="dst"/> starting at <paramref name="dstOffset"/>.</summary>
    internal void CopyInto(Storage dst, int dstOffset)
    {
        switch (DType)
        {
            case DType.Float32: CopyInto<float>(((Storage<float>)dst).Data.AsSpan(dstOffset, Numel)); break;
            case DType.Float64: CopyInto<double>(((Storage<double>)dst).Data.AsSpan(dstOffset, Numel)); break;
            case DType.Int64: CopyInto<long>(((Storage<long>)dst).Data.AsSpan(dstOffset, Numel)); break;
            default: CopyInto<bool>(((Storage<bool>)dst).Data.AsSpan(dstOffset, Numel)); break;
        }
    }

    internal void CopyInto<T>(Span<T> dst) where T : unmanaged
    {
        if (IsContiguous)
            Array<T>().AsSpan(Offset, Numel).CopyTo(dst);
        else
            Strided.Gather(Array<T>(), Offset, ShapeArray, StrideArray, dst);
    }

    /// <summary>The elements converted to <paramref name="dtype"/> (this tensor itself if it already has that dtype).</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType)
            return this;
        return Ops.ConvertOp.Apply(this, dtype);
    }

    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/> (float, double, long, int or bool).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(int))
        {
            var longs = ToArray<long>();
            var ints = new int[longs.Length];
            for (int i = 0; i < longs.Length; i++)
                ints[i] = checked((int)longs[i]);
            return (T[])(object)ints;
        }
        var src = To(DTypeExtensions.Of<T>());
        var result = new T[Numel];
        src.CopyInto<T>(result);
        return result;
    }

    /// <summary>The value of a one-element tensor (like <c>.item()</c>).</summary>
    public T Item<T>() where T : unmanaged
    {
        if (Numel != 1)
            throw new InvalidOperationException($"Item: only one-element tensors can be converted to a scalar, but this tensor has shape {ShapeUtil.Format(ShapeArray)} ({Numel} elements).");
        // The element read in place (Item is called every step for the loss); other conversions go through To().
        if (typeof(T) == typeof(double))
            return (T)(object)GetFlat(0);
        if ((typeof(T) == typeof(float) && DType == DType.Float32) || (typeof(T) == typeof(long) && DType == DType.Int64)
            || (typeof(T) == typeof(bool) && DType == DType.Bool))
            return Array<T>()[FlatToOffset(0)];
        return ToArray<T>()[0];
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public double Item() => Item<double>();

    /// <summary>Element at flat row-major position <paramref name="i"/> as a double (any dtype).</summary>
    internal double GetFlat(int i)
    {
        int o = FlatToOffset(i);
        return DType switch
        {
            DType.Float32 => Array<float>()[o],
            DType.Float64 => Array<double>()[o],
            DType.Int64 => Array<long>()[o],
            _ => Array<bool>()[o] ? 1.0 : 0.0,
        };
    }

    internal void SetFlat(int i, double value)
    {
        int o = FlatToOffset(i);
        switch (DType)
        {
            case DType.Float32: Array<float>()[o] = (float)value; break;
            case DType.Float64: Array<double>()[o] = value; break;
            case DType.Int64: Array<long>()[o] = (long)value; break;
            default: Array<bool>()[o] = value != 0; break;
        }
    }

    private int FlatToOffset(int i)
    {
        if (IsContiguous)
            return Offset + i;
        int o = Offset;
        for (int d = Rank - 1; d >= 0; d--)
        {
            int s = ShapeArray[d];
            o += i % s * StrideArray[d];
            i /= s;
        }
        return o;
    }

    // Float fills (zero_grad, gradients of a mean) with 16-lane stores: the framework's generic Span.Fill<float> is
    // compiled at run time even in ReadyToRun builds.
    private static unsafe void FillFloat(Span<float> dst, float value)
    {
        fixed (float* p = dst)
        {
            int n = dst.Length, i = 0;
            if (System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
            {
                var v = System.Runtime.Intrinsics.Vector512.Create(value);
                for (; i + 16 <= n; i += 16)
                    System.Runtime.Intrinsics.Vector512.Store(v, p + i);
            }
            for (; i < n; i++)
                p[i] = value;
        }
    }

    /// <summary>Fills without autograd checks (creation helpers).</summary>
    internal void FillUnchecked(double value)
    {
        if (IsContiguous)
        {
            // One flat fill (a [640, 1] column would otherwise be walked as 640 rows of one element).
            switch (DType)
            {
                case DType.Float32: FillFloat(Array<float>().AsSpan(Offset, Numel), (float)value); return;
                case DType.Float64: Array<double>().AsSpan(Offset, Numel).Fill(value); return;
                case DType.Int64: Array<long>().AsSpan(Offset, Numel).Fill((long)value); return;
                default: Array<bool>().AsSpan(Offset, Numel).Fill(value != 0); return;
            }
        }
        switch (DType)
        {
            case DType.Float32: Strided.Fill((float)value, Array<float>(), Offset, ShapeArray, StrideArray); break;
            case DType.Float64: Strided.Fill(value, Array<double>(), Offset, ShapeArray, StrideArray); break;
            case DType.Int64: Strided.Fill((long)value, Array<long>(), Offset, ShapeArray, StrideArray); break;
            default: Strided.Fill(value != 0, Array<bool>(), Offset, ShapeArray, StrideArray); break;
        }
    }
}
