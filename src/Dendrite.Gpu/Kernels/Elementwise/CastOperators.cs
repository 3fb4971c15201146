namespace Dendrite.Gpu.Kernels.Elementwise;

// Conversions between element types. They are written out per pair because ILGPU 1.5.3 cannot compile the generic
// INumber<T>.CreateTruncating<TOther> (its frontend rejects the System.Type it touches). Float to integer truncates
// toward zero like C# and PyTorch; to bool is "not zero" (NaN is true, as in PyTorch).

/// <summary>float → double (exact).</summary>
internal readonly struct FloatToDouble : IMapOp<float, double>
{
    /// <inheritdoc/>
    public double Apply(float x) => x;
}

/// <summary>double → float (round to nearest even).</summary>
internal readonly struct DoubleToFloat : IMapOp<double, float>
{
    /// <inheritdoc/>
    public float Apply(double x) => (float)x;
}

/// <summary>long → float (round to nearest even).</summary>
internal readonly struct LongToFloat : IMapOp<long, float>
{
    /// <inheritdoc/>
    public float Apply(long x) => x;
}

/// <summary>long → double (round to nearest even).</summary>
internal readonly struct LongToDouble : IMapOp<long, double>
{
    /// <inheritdoc/>
    public double Apply(long x) => x;
}

/// <summary>float → long (toward zero).</summary>
internal readonly struct FloatToLong : IMapOp<float, long>
{
    /// <inheritdoc/>
    public long Apply(float x) => (long)x;
}

/// <summary>double → long (toward zero).</summary>
internal readonly struct DoubleToLong : IMapOp<double, long>
{
    /// <inheritdoc/>
    public long Apply(double x) => (long)x;
}

/// <summary>bool byte → float (0 or 1).</summary>
internal readonly struct BoolToFloat : IMapOp<byte, float>
{
    /// <inheritdoc/>
    public float Apply(byte x) => x != 0 ? 1f : 0f;
}

/// <summary>bool byte → double (0 or 1).</summary>
internal readonly struct BoolToDouble : IMapOp<byte, double>
{
    /// <inheritdoc/>
    public double Apply(byte x) => x != 0 ? 1.0 : 0.0;
}

/// <summary>float → bool byte (x ≠ 0).</summary>
internal readonly struct FloatToBool : IMapOp<float, byte>
{
    /// <inheritdoc/>
    public byte Apply(float x) => x != 0f ? (byte)1 : (byte)0;
}

/// <summary>double → bool byte (x ≠ 0).</summary>
internal readonly struct DoubleToBool : IMapOp<double, byte>
{
    /// <inheritdoc/>
    public byte Apply(double x) => x != 0.0 ? (byte)1 : (byte)0;
}

/// <summary>Int64 to Bool (nonzero is true).</summary>
internal readonly struct LongToBool : IMapOp<long, byte>
{
    /// <inheritdoc/>
    public byte Apply(long x) => x != 0 ? (byte)1 : (byte)0;
}

/// <summary>Bool to Int64 (0 or 1).</summary>
internal readonly struct BoolToLong : IMapOp<byte, long>
{
    /// <inheritdoc/>
    public long Apply(byte x) => x != 0 ? 1L : 0L;
}
