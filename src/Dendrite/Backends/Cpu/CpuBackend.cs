namespace Dendrite.Backends.Cpu;

/// <summary>
/// The host CPU's kernels (<see cref="IBackend"/>): vectorized loops over managed arrays, multi-threaded on
/// <see cref="Threads.Count"/> threads, with a pool of recycled large buffers (<see cref="StoragePool"/>).
/// </summary>
internal sealed partial class CpuBackend : IBackend
{
    /// <summary>The one CPU backend.</summary>
    public static readonly CpuBackend Instance = new();

    private CpuBackend()
    {
    }

    public Device Device => Device.Cpu;

    public Storage Allocate(DType dtype, int length, bool zeroed) => dtype switch
    {
        DType.Float32 => CpuStorage<float>.Create(length, zeroed, this),
        DType.Float64 => CpuStorage<double>.Create(length, zeroed, this),
        DType.Int64 => new CpuStorage<long>(zeroed ? new long[length] : GC.AllocateUninitializedArray<long>(length), this),
        DType.Bool => new CpuStorage<bool>(new bool[length], this),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    public Storage FromHost(Array data) => data switch
    {
        float[] f => new CpuStorage<float>(f, this),
        double[] d => new CpuStorage<double>(d, this),
        long[] l => new CpuStorage<long>(l, this),
        bool[] b => new CpuStorage<bool>(b, this),
        _ => throw new ArgumentException($"internal: no tensor element type for {data.GetType().Name}."),
    };

    public void CopyToHost(StorageView src, Array dst, int dstOffset)
    {
        switch (src.DType)
        {
            case DType.Float32: Gather<float>(src, ((float[])dst).AsSpan(dstOffset, src.Numel)); break;
            case DType.Float64: Gather<double>(src, ((double[])dst).AsSpan(dstOffset, src.Numel)); break;
            case DType.Int64: Gather<long>(src, ((long[])dst).AsSpan(dstOffset, src.Numel)); break;
            default: Gather<bool>(src, ((bool[])dst).AsSpan(dstOffset, src.Numel)); break;
        }
    }

    /// <summary>src's elements in row-major order into dense <paramref name="dst"/>.</summary>
    internal static void Gather<T>(StorageView src, Span<T> dst) where T : unmanaged
    {
        if (src.IsContiguous)
            src.Span<T>().CopyTo(dst);
        else
            Strided.Gather(src.Array<T>(), src.Offset, src.Shape, src.Strides, dst);
    }

    public void Copy(StorageView src, StorageView dst)
    {
        switch (dst.DType)
        {
            case DType.Float32: Copy<float>(src, dst); break;
            case DType.Float64: Copy<double>(src, dst); break;
            case DType.Int64: Copy<long>(src, dst); break;
            default: Copy<bool>(src, dst); break;
        }
    }

    private static void Copy<T>(StorageView src, StorageView dst) where T : unmanaged
    {
        if (dst.IsContiguous)
        {
            Gather(src, dst.Span<T>());
            return;
        }
        var dense = src.IsContiguous ? src.Span<T>() : GatherNew<T>(src);
        Strided.Scatter<T>(dense, dst.Array<T>(), dst.Offset, dst.Shape, dst.Strides);
    }

    private static T[] GatherNew<T>(StorageView src) where T : unmanaged
    {
        var tmp = new T[src.Numel];
        Strided.Gather(src.Array<T>(), src.Offset, src.Shape, src.Strides, tmp);
        return tmp;
    }

    public void Fill(StorageView dst, double value)
    {
        if (dst.IsContiguous)
        {
            // One flat fill (a [640, 1] column would otherwise be walked as 640 rows of one element).
            switch (dst.DType)
            {
                case DType.Float32: VectorFill.Float(dst.Span<float>(), (float)value); return;
                case DType.Float64: dst.Span<double>().Fill(value); return;
                case DType.Int64: dst.Span<long>().Fill((long)value); return;
                default: dst.Span<bool>().Fill(value != 0); return;
            }
        }
        switch (dst.DType)
        {
            case DType.Float32: Strided.Fill((float)value, dst.Array<float>(), dst.Offset, dst.Shape, dst.Strides); break;
            case DType.Float64: Strided.Fill(value, dst.Array<double>(), dst.Offset, dst.Shape, dst.Strides); break;
            case DType.Int64: Strided.Fill((long)value, dst.Array<long>(), dst.Offset, dst.Shape, dst.Strides); break;
            default: Strided.Fill(value != 0, dst.Array<bool>(), dst.Offset, dst.Shape, dst.Strides); break;
        }
    }

    public void Convert(StorageView src, StorageView dst) => ConvertKernel.Run(src, dst);

    public void Recycle(Storage storage)
    {
        switch (storage)
        {
            case CpuStorage<float> f: StoragePool.Return(f.Data, sizeof(float)); break;
            case CpuStorage<double> d: StoragePool.Return(d.Data, sizeof(double)); break;
        }
    }

    public void Synchronize()
    {
    }
}
