using Dendrite.Backends;
using Dendrite.Backends.Cpu;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>This tensor if it is already contiguous, else a contiguous copy (recorded by autograd).</summary>
    public Tensor Contiguous() => IsContiguous ? this : Ops.CloneOp.Apply(this);

    /// <summary>A copy with its own storage (recorded by autograd; gradients flow back to this tensor).</summary>
    public Tensor Clone() => Ops.CloneOp.Apply(this);

    /// <summary>A dense copy of the elements on the same device, no autograd.</summary>
    internal Tensor CopyDense()
    {
        var t = AllocateLike(this, DType, false);
        Backend.Copy(Raw, t.Raw);
        return t;
    }

    /// <summary>This tensor when it is contiguous, else a dense copy (no autograd).</summary>
    internal Tensor Dense() => IsContiguous ? this : CopyDense();

    /// <summary>Writes this tensor's elements in row-major order into host array <paramref name="dst"/> from <paramref name="dstOffset"/>.</summary>
    internal void CopyToHost(Array dst, int dstOffset) => Backend.CopyToHost(Raw, dst, dstOffset);

    /// <summary>The elements converted to <paramref name="dtype"/> (this tensor itself if it already has that dtype).</summary>
    public Tensor To(DType dtype)
    {
        if (dtype == DType)
            return this;
        return Ops.ConvertOp.Apply(this, dtype);
    }

    /// <summary>
    /// This tensor on <paramref name="device"/>: itself when it is already there, else a copy (recorded by autograd, so
    /// gradients flow back to this tensor on its own device), like <c>tensor.to(device)</c>.
    /// </summary>
    public Tensor To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device == Device)
            return this;
        return Ops.ToDeviceOp.Apply(this, BackendRegistry.Get(device));
    }

    /// <summary>This tensor on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    public Tensor To(Device device, DType dtype) => To(device).To(dtype);

    /// <summary>This tensor on the CPU (itself when already there), like <c>tensor.cpu()</c>.</summary>
    public Tensor Cpu() => To(Device.Cpu);

    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/> (float, double, long, int or bool); copies from the device.</summary>
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
        src.CopyToHost(result, 0);
        return result;
    }

    /// <summary>The value of a one-element tensor (like <c>.item()</c>); waits for the device.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (Numel != 1)
            throw new InvalidOperationException($"Item: only one-element tensors can be converted to a scalar, but this tensor has shape {ShapeUtil.Format(ShapeArray)} ({Numel} elements).");
        // The element read in place (Item is called every step for the loss); other conversions go through To().
        if (typeof(T) == typeof(double))
            return (T)(object)GetFlat(0);
        if (Storage is CpuStorage<T> host)
            return host.Data[FlatToOffset(0)];
        return ToArray<T>()[0];
    }

    /// <summary>The value of a one-element tensor as a double.</summary>
    public double Item() => Item<double>();

    /// <summary>Element at flat row-major position <paramref name="i"/> as a double (any dtype, any device).</summary>
    internal double GetFlat(int i)
    {
        int o = FlatToOffset(i);
        switch (Storage)
        {
            case CpuStorage<float> f: return f.Data[o];
            case CpuStorage<double> d: return d.Data[o];
            case CpuStorage<long> l: return l.Data[o];
            case CpuStorage<bool> b: return b.Data[o] ? 1.0 : 0.0;
        }
        var one = new StorageView(Storage, [], [], o, 1, true);
        switch (DType)
        {
            case DType.Float32: { var v = new float[1]; Backend.CopyToHost(one, v, 0); return v[0]; }
            case DType.Float64: { var v = new double[1]; Backend.CopyToHost(one, v, 0); return v[0]; }
            case DType.Int64: { var v = new long[1]; Backend.CopyToHost(one, v, 0); return v[0]; }
            default: { var v = new bool[1]; Backend.CopyToHost(one, v, 0); return v[0] ? 1.0 : 0.0; }
        }
    }

    /// <summary>Sets the element at flat row-major position <paramref name="i"/> (CPU tensors only: creation helpers and tests).</summary>
    internal void SetFlat(int i, double value)
    {
        int o = FlatToOffset(i);
        switch (Storage)
        {
            case CpuStorage<float> f: f.Data[o] = (float)value; break;
            case CpuStorage<double> d: d.Data[o] = value; break;
            case CpuStorage<long> l: l.Data[o] = (long)value; break;
            case CpuStorage<bool> b: b.Data[o] = value != 0; break;
            default: throw new InvalidOperationException($"internal: SetFlat on a tensor on {Device}; write device tensors with Fill or CopyFrom.");
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

    /// <summary>Fills without autograd checks (creation helpers).</summary>
    internal void FillUnchecked(double value) => Backend.Fill(Raw, value);
}
