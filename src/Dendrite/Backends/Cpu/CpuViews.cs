using System.Runtime.CompilerServices;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The host arrays behind CPU storage views. The only way CPU code reaches elements: a view of device memory is not a
/// <see cref="CpuStorage{T}"/>, so these fail instead of reading it.
/// </summary>
internal static class CpuViews
{
    /// <summary>The contiguous span of the view's elements; only valid when the view is contiguous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> Span<T>(this StorageView v) where T : unmanaged
    {
        if (!v.IsContiguous)
            StorageView.ThrowNotContiguous();
        return Host<T>(v.Storage).Data.AsSpan(v.Offset, v.Numel);
    }

    /// <summary>The whole host array behind the view (index it with the view's offset and strides).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T[] Array<T>(this StorageView v) where T : unmanaged => Host<T>(v.Storage).Data;

    /// <summary>The storage as host memory of <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CpuStorage<T> Host<T>(Storage s) where T : unmanaged =>
        // An exact type test (one method-table compare, also in precompiled code) instead of a cast helper.
        s.GetType() == typeof(CpuStorage<T>) ? Unsafe.As<CpuStorage<T>>(s) : ThrowNotHost<T>(s);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CpuStorage<T> ThrowNotHost<T>(Storage s) where T : unmanaged => throw new InvalidOperationException(
        $"internal: a CPU kernel was given {s.DType} storage on {s.Device} where {DTypeExtensions.Of<T>()} host memory was expected.");
}
