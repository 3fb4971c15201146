namespace Dendrite.Backends.Cpu;

/// <summary>Host memory: a managed array, the only storage CPU kernels can reach as a <see cref="Span{T}"/>.</summary>
internal sealed class CpuStorage<T> : Storage where T : unmanaged
{
    public readonly T[] Data;

    public CpuStorage(int length, bool zeroed)
        : this(zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length))
    {
    }

    /// <summary>Wraps <paramref name="data"/> without copying.</summary>
    public CpuStorage(T[] data)
        : this(data, CpuBackend.Instance)
    {
    }

    /// <summary>Wraps <paramref name="data"/> for <paramref name="backend"/> (which passes itself: no static read per allocation).</summary>
    internal CpuStorage(T[] data, CpuBackend backend)
        : base(backend, DTypeExtensions.Of<T>(), data.Length) => Data = data;

    /// <summary>A storage of <paramref name="length"/> elements, reusing a pooled buffer for large sizes.</summary>
    public static CpuStorage<T> Create(int length, bool zeroed, CpuBackend backend)
    {
        if ((long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() >= StoragePool.MinPooledBytes && StoragePool.TryRent<T>(length) is { } pooled)
        {
            if (zeroed)
                System.Array.Clear(pooled);
            return new CpuStorage<T>(pooled, backend);
        }
        return new CpuStorage<T>(zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length), backend);
    }
}
