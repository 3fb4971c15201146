namespace Dendrite.Gpu.Kernels.Sorting;

/// <summary>
/// The strict key order of torch.sort ("a comes before b ascending"), NaN larger than every number and −0 = +0. A
/// kernel <c>K&lt;T, TKey&gt;</c> with <c>TKey : struct, ISortKey&lt;T&gt;</c> gets one instance per implementing struct.
/// </summary>
[KernelOperator]
internal interface ISortKey<T> where T : unmanaged
{
    /// <summary>a &lt; b, with NaN after every number.</summary>
    bool Less(T a, T b);
}

/// <summary>float keys: numeric order, NaN last.</summary>
internal readonly struct FloatSortKey : ISortKey<float>
{
    /// <inheritdoc/>
    public bool Less(float a, float b) => a < b || (float.IsNaN(b) && !float.IsNaN(a));
}

/// <summary>double keys: numeric order, NaN last.</summary>
internal readonly struct DoubleSortKey : ISortKey<double>
{
    /// <inheritdoc/>
    public bool Less(double a, double b) => a < b || (double.IsNaN(b) && !double.IsNaN(a));
}

/// <summary>long keys.</summary>
internal readonly struct LongSortKey : ISortKey<long>
{
    /// <inheritdoc/>
    public bool Less(long a, long b) => a < b;
}

/// <summary>Bool keys stored as bytes (0 or 1): false before true.</summary>
internal readonly struct BoolSortKey : ISortKey<byte>
{
    /// <inheritdoc/>
    public bool Less(byte a, byte b) => a < b;
}
