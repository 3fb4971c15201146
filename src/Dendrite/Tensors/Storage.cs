namespace Dendrite;

/// <summary>The flat buffer that one or more tensor views share.</summary>
internal abstract class Storage
{
    /// <summary>Bumped by every in-place write, so autograd can detect a saved tensor that changed.</summary>
    public int Version;

    public abstract int Length { get; }

    public abstract DType DType { get; }

    public abstract Array RawArray { get; }

    public static Storage Allocate(DType dtype, int length, bool zeroed) => dtype switch
    {
        DType.Float32 => new Storage<float>(length, zeroed),
        DType.Float64 => new Storage<double>(length, zeroed),
        DType.Int64 => new Storage<long>(length, zeroed),
        DType.Bool => new Storage<bool>(length, zeroed),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}

internal sealed class Storage<T> : Storage where T : unmanaged
{
    public readonly T[] Data;

    public Storage(int length, bool zeroed)
    {
        Data = zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);
    }

    public Storage(T[] data) => Data = data;

    public override int Length => Data.Length;

    public override DType DType => DTypeExtensions.Of<T>();

    public override Array RawArray => Data;
}
