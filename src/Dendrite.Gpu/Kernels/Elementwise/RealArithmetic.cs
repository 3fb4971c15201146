namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>
/// Widening to double and rounding back for one floating element type: kernels evaluate transcendental functions
/// with <see cref="DeviceMath"/> in double and round once to the element type (for float: at most half an ulp
/// beyond the double result's error). A type argument of the operator structs, so each instance is specialized.
/// </summary>
internal interface IReal<T> where T : unmanaged
{
    /// <summary>x as a double (exact).</summary>
    double Wide(T x);

    /// <summary>x rounded to T (nearest even).</summary>
    T Narrow(double x);
}

/// <summary>float ↔ double.</summary>
internal readonly struct Real32 : IReal<float>
{
    /// <inheritdoc/>
    public double Wide(float x) => x;

    /// <inheritdoc/>
    public float Narrow(double x) => (float)x;
}

/// <summary>double ↔ double (the identity).</summary>
internal readonly struct Real64 : IReal<double>
{
    /// <inheritdoc/>
    public double Wide(double x) => x;

    /// <inheritdoc/>
    public double Narrow(double x) => x;
}
