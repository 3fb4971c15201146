namespace Dendrite;

/// <summary>The flat buffer that one or more tensor views share.</summary>
internal abstract class Storage
{
    /// <summary>Bumped by every in-place write, so autograd can detect a saved tensor that changed.</summary>
    public int Version;

    /// <summary>
    /// True for a buffer the autograd engine created during backward and still owns exclusively; only such storages
    /// are ever returned to <see cref="StoragePool"/>.
    /// </summary>
    public bool Recyclable;

    /// <summary>How many autograd-engine slots hold this (recyclable) storage during the current backward pass.</summary>
    public int EngineHolds;

    public abstract int Length { get; }

    public abstract DType DType { get; }

    public abstract Array RawArray { get; }

    public static Storage Allocate(DType dtype, int length, bool zeroed)
    {
        Storage s = dtype switch
        {
            DType.Float32 => Storage<float>.Create(length, zeroed),
            DType.Float64 => Storage<double>.Create(length, zeroed),
            DType.Int64 => new Storage<long>(length, zeroed),
            DType.Bool => new Storage<bool>(length, zeroed),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
        };
        if (StoragePool.MarkingRecyclable)
            s.Recyclable = true;
        return s;
    }
}

internal sealed class Storage<T> : Storage where T : unmanaged
{
    public readonly T[] Data;

    public Storage(int length, bool zeroed)
    {
        Data = zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);
    }

    public Storage(T[] data) => Data = data;

    /// <summary>A storage of <paramref name="length"/> elements, reusing a pooled buffer for large sizes.</summary>
    public static Storage<T> Create(int length, bool zeroed)
    {
        if ((long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() >= StoragePool.MinPooledBytes && StoragePool.TryRent<T>(length) is { } pooled)
        {
            if (zeroed)
                System.Array.Clear(pooled);
            return new Storage<T>(pooled);
        }
        return new Storage<T>(length, zeroed);
    }

    public override int Length => Data.Length;

    public override DType DType => DTypeExtensions.Of<T>();

    public override Array RawArray => Data;
}
