using System.Runtime.InteropServices;
using Dendrite.Backends;
using Dendrite.Gpu.Kernels.Elementwise;
using Dendrite.Gpu.Memory;
using Dendrite.Gpu.Runtime;
using ILGPU;

namespace Dendrite.Gpu.Backend;

/// <summary>
/// The GPU backend (<see cref="IBackend"/>) of one device, <c>cuda:N</c> or <c>ilgpu-cpu</c>: every kernel runs on the
/// device's one stream, asynchronously; only host reads (<see cref="CopyToHost"/>) and the range checks wait for it.
/// Calls from several threads are serialized per device.
/// </summary>
internal sealed partial class GpuBackend : IBackend
{
    public GpuBackend(Device device, GpuDevice gpu)
    {
        Device = device;
        Gpu = gpu;
    }

    public Device Device { get; }

    /// <summary>The ILGPU device: accelerator, stream, allocator, kernels.</summary>
    public GpuDevice Gpu { get; }

    /// <summary>Serializes launches from several host threads on this device.</summary>
    private object Gate => Gpu;

    // ---- views ----

    /// <summary>The dense elements of a contiguous view as <typeparamref name="T"/> (Bool: byte).</summary>
    internal static ArrayView<T> Dense<T>(StorageView v) where T : unmanaged
    {
        if (!v.IsContiguous)
            StorageView.ThrowNotContiguous();
        return Of(v.Storage).View<T>().SubView(v.Offset, v.Numel);
    }

    /// <summary>The whole buffer behind a view (index it with the view's offset and strides).</summary>
    internal static ArrayView<T> Whole<T>(StorageView v) where T : unmanaged => Of(v.Storage).View<T>();

    internal static GpuStorage Of(Storage s) => s as GpuStorage
        ?? throw new InvalidOperationException($"internal: a GPU kernel was given {s.DType} storage on {s.Device}.");

    /// <summary>A view's sizes and strides as the strided kernels take them.</summary>
    internal static (long[] Sizes, long[] Strides) Layout(StorageView v)
    {
        var sizes = new long[v.Rank];
        var strides = new long[v.Rank];
        for (int d = 0; d < v.Rank; d++)
        {
            sizes[d] = v.Shape[d];
            strides[d] = v.Strides[d];
        }
        return (sizes, strides);
    }

    /// <summary>A new dense device storage (uninitialized).</summary>
    internal GpuStorage New(DType dtype, int length) =>
        new(this, dtype switch
        {
            DType.Float32 => Gpu.Allocate<float>(length),
            DType.Float64 => Gpu.Allocate<double>(length),
            DType.Int64 => Gpu.Allocate<long>(length),
            _ => Gpu.Allocate<byte>(length),
        }, dtype, length);

    /// <summary>
    /// The elements of <paramref name="v"/> (any layout) as a dense view: the view itself when contiguous, else a
    /// gathered copy in <paramref name="temp"/>, which the caller disposes once the work that reads it is queued.
    /// </summary>
    internal ArrayView<T> DenseCopy<T>(StorageView v, out DeviceBuffer? temp) where T : unmanaged
    {
        temp = null;
        if (v.IsContiguous)
            return Dense<T>(v);
        var copy = New(v.DType, v.Numel);
        temp = copy.Buffer;
        var (sizes, strides) = Layout(v);
        Elementwise.Gather(Gpu, Whole<T>(v), sizes, strides, v.Offset, copy.View<T>());
        return copy.View<T>();
    }

    // ---- memory ----

    public Storage Allocate(DType dtype, int length, bool zeroed)
    {
        lock (Gate)
        {
            var s = New(dtype, length);
            if (zeroed)
                Gpu.Zero(s.Buffer.Bytes);
            return s;
        }
    }

    public Storage FromHost(Array data)
    {
        lock (Gate)
        {
            switch (data)
            {
                case float[] f: return Upload<float>(f, DType.Float32);
                case double[] d: return Upload<double>(d, DType.Float64);
                case long[] l: return Upload<long>(l, DType.Int64);
                case bool[] b: return Upload<byte>(MemoryMarshal.Cast<bool, byte>(b), DType.Bool);
                default: throw new ArgumentException($"internal: no tensor element type for {data.GetType().Name}.");
            }
        }
    }

    private GpuStorage Upload<T>(ReadOnlySpan<T> data, DType dtype) where T : unmanaged
    {
        var s = New(dtype, data.Length);
        Gpu.CopyFromHost(data, s.View<T>());
        return s;
    }

    public void CopyToHost(StorageView src, Array dst, int dstOffset)
    {
        lock (Gate)
        {
            DeviceBuffer? temp = null;
            try
            {
                switch (dst)
                {
                    case float[] f: Gpu.CopyToHost(DenseCopy<float>(src, out temp), f.AsSpan(dstOffset, src.Numel)); break;
                    case double[] d: Gpu.CopyToHost(DenseCopy<double>(src, out temp), d.AsSpan(dstOffset, src.Numel)); break;
                    case long[] l: Gpu.CopyToHost(DenseCopy<long>(src, out temp), l.AsSpan(dstOffset, src.Numel)); break;
                    case bool[] b: Gpu.CopyToHost(DenseCopy<byte>(src, out temp), MemoryMarshal.Cast<bool, byte>(b.AsSpan(dstOffset, src.Numel))); break;
                    default: throw new ArgumentException($"internal: no tensor element type for {dst.GetType().Name}.");
                }
            }
            finally
            {
                temp?.Dispose();
            }
        }
    }

    public void Copy(StorageView src, StorageView dst)
    {
        lock (Gate)
        {
            switch (dst.DType)
            {
                case DType.Float32: Copy<float>(src, dst); break;
                case DType.Float64: Copy<double>(src, dst); break;
                case DType.Int64: Copy<long>(src, dst); break;
                default: Copy<byte>(src, dst); break;
            }
        }
    }

    private void Copy<T>(StorageView src, StorageView dst) where T : unmanaged
    {
        if (dst.Numel == 0)
            return;
        if (dst.IsContiguous)
        {
            if (src.IsContiguous)
                Gpu.Copy(Dense<T>(src), Dense<T>(dst));
            else
            {
                var (sizes, strides) = Layout(src);
                Elementwise.Gather(Gpu, Whole<T>(src), sizes, strides, src.Offset, Dense<T>(dst));
            }
            return;
        }
        var dense = DenseCopy<T>(src, out var temp);
        using (temp)
        {
            var (dSizes, dStrides) = Layout(dst);
            Elementwise.Scatter(Gpu, dense, Whole<T>(dst), dSizes, dStrides, dst.Offset);
        }
    }

    public void Fill(StorageView dst, double value)
    {
        lock (Gate)
        {
            switch (dst.DType)
            {
                case DType.Float32: Fill(dst, (float)value); break;
                case DType.Float64: Fill<double>(dst, value); break;
                case DType.Int64: Fill(dst, (long)value); break;
                default: Fill(dst, value != 0 ? (byte)1 : (byte)0); break;
            }
        }
    }

    private void Fill<T>(StorageView dst, T value) where T : unmanaged
    {
        if (dst.Numel == 0)
            return;
        if (dst.IsContiguous)
        {
            Gpu.Fill(Dense<T>(dst), value);
            return;
        }
        var tmp = New(dst.DType, dst.Numel);
        Gpu.Fill(tmp.View<T>(), value);
        var (sizes, strides) = Layout(dst);
        Elementwise.Scatter(Gpu, tmp.View<T>(), Whole<T>(dst), sizes, strides, dst.Offset);
    }

    public void Convert(StorageView src, StorageView dst)
    {
        lock (Gate)
        {
            switch (src.DType, dst.DType)
            {
                case (DType.Float32, DType.Float64): Elementwise.Map(Gpu, Dense<float>(src), Dense<double>(dst), new FloatToDouble()); break;
                case (DType.Float64, DType.Float32): Elementwise.Map(Gpu, Dense<double>(src), Dense<float>(dst), new DoubleToFloat()); break;
                case (DType.Int64, DType.Float32): Elementwise.Map(Gpu, Dense<long>(src), Dense<float>(dst), new LongToFloat()); break;
                case (DType.Int64, DType.Float64): Elementwise.Map(Gpu, Dense<long>(src), Dense<double>(dst), new LongToDouble()); break;
                case (DType.Float32, DType.Int64): Elementwise.Map(Gpu, Dense<float>(src), Dense<long>(dst), new FloatToLong()); break;
                case (DType.Float64, DType.Int64): Elementwise.Map(Gpu, Dense<double>(src), Dense<long>(dst), new DoubleToLong()); break;
                case (DType.Bool, DType.Float32): Elementwise.Map(Gpu, Dense<byte>(src), Dense<float>(dst), new BoolToFloat()); break;
                case (DType.Bool, DType.Float64): Elementwise.Map(Gpu, Dense<byte>(src), Dense<double>(dst), new BoolToDouble()); break;
                case (DType.Bool, DType.Int64): Elementwise.Map(Gpu, Dense<byte>(src), Dense<long>(dst), new BoolToLong()); break;
                case (DType.Float32, DType.Bool): Elementwise.Map(Gpu, Dense<float>(src), Dense<byte>(dst), new FloatToBool()); break;
                case (DType.Float64, DType.Bool): Elementwise.Map(Gpu, Dense<double>(src), Dense<byte>(dst), new DoubleToBool()); break;
                case (DType.Int64, DType.Bool): Elementwise.Map(Gpu, Dense<long>(src), Dense<byte>(dst), new LongToBool()); break;
                default:
                    if (src.DType != dst.DType)
                        throw new ArgumentException($"internal: no conversion from {src.DType} to {dst.DType}.");
                    Copy(src, dst);
                    break;
            }
        }
    }

    public void Recycle(Storage storage) => Of(storage).Buffer.Dispose();

    public void Synchronize()
    {
        lock (Gate)
            Gpu.Synchronize();
    }
}
