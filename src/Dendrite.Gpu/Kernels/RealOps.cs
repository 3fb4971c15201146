namespace Dendrite.Gpu.Kernels;

/// <summary>
/// The conversions and roots a generic floating-point kernel needs but cannot write generically in ILGPU 1.5.3
/// (<c>CreateTruncating</c> crashes its frontend): T ↔ double and √ in T. A kernel <c>K&lt;T, TReal&gt;</c> with
/// <c>TReal : struct, IRealOps&lt;T&gt;</c> gets one instance per implementing struct (float and double).
/// </summary>
[KernelOperator]
internal interface IRealOps<T> where T : unmanaged
{
    /// <summary>x rounded to T (nearest even), as <c>T.CreateTruncating(x)</c>.</summary>
    T FromDouble(double x);

    /// <summary>x widened to double (exact).</summary>
    double ToDouble(T x);

    /// <summary>The correctly rounded square root in T.</summary>
    T Sqrt(T x);
}

/// <summary>float: <see cref="IRealOps{T}"/>.</summary>
internal readonly struct Float32Real : IRealOps<float>
{
    /// <inheritdoc/>
    public float FromDouble(double x) => (float)x;

    /// <inheritdoc/>
    public double ToDouble(float x) => x;

    /// <inheritdoc/>
    public float Sqrt(float x) => MathF.Sqrt(x);
}

/// <summary>double: <see cref="IRealOps{T}"/>.</summary>
internal readonly struct Float64Real : IRealOps<double>
{
    /// <inheritdoc/>
    public double FromDouble(double x) => x;

    /// <inheritdoc/>
    public double ToDouble(double x) => x;

    /// <inheritdoc/>
    public double Sqrt(double x) => Math.Sqrt(x);
}
