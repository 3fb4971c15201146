namespace Dendrite.Backends.Cpu;

/// <summary>Host memory: a managed array, the only storage CPU kernels can reach as a <see cref="Span{T}"/>.</summary>
internal sealed class CpuStorage<T> : Storage where T : unmanaged
{
    public readonly T[] Data;

    public CpuStorage(int length, bool zeroed)
    {
        Data = zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);
    }

    /// <summary>Wraps <paramref name="data"/> without copying.</summary>
    public CpuStorage(T[] data) => Data = data;

    /// <summary>A storage of <paramref name="length"/> elements, reusing a pooled buffer for large sizes.</summary>
    public static CpuStorage<T> Create(int length, bool zeroed)
    {
        if ((long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() >= StoragePool.MinPooledBytes && StoragePool.TryRent<T>(length) is { } pooled)
        {
            if (zeroed)
                System.Array.Clear(pooled);
            return new CpuStorage<T>(pooled);
        }
        return new CpuStorage<T>(length, zeroed);
    }

    public override int Length => Data.Length;

    public override DType DType => DTypeExtensions.Of<T>();

    public override IBackend Backend => CpuBackend.Instance;
}
