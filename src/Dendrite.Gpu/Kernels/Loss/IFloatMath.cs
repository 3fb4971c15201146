using System.Runtime.CompilerServices;

namespace Dendrite.Gpu.Kernels.Loss;

/// <summary>
/// The per-type pieces the loss, class-loss and norm kernels need beyond arithmetic: conversions to and from double
/// (INumber's CreateTruncating does not compile in ILGPU 1.5.3) and exp/log. A kernel whose last type parameter is
/// constrained to this interface gets one instance per element type (<see cref="F32Math"/>, <see cref="F64Math"/>).
/// </summary>
[KernelOperator]
internal interface IFloatMath<T> where T : unmanaged
{
    /// <summary>x widened to double (exact).</summary>
    double ToDouble(T x);

    /// <summary>x rounded to T (nearest even), as the CPU backend's <c>T.CreateTruncating(double)</c>.</summary>
    T FromDouble(double x);

    /// <summary>e^x in T.</summary>
    T Exp(T x);

    /// <summary>ln x in T (−∞ at 0, NaN below).</summary>
    T Log(T x);
}

/// <summary>
/// float32: exp through <see cref="MathF.Exp"/> (ex2.approx on CUDA: a few ulp, the usual fast softmax exp; .NET's
/// on ilgpu-cpu), ln through the double <see cref="DeviceMath.Log"/> rounded once (lg2.approx loses relative
/// accuracy near 1, where log(1 − x) of BCE lives).
/// </summary>
internal readonly struct F32Math : IFloatMath<float>
{
    /// <inheritdoc/>
    public double ToDouble(float x) => x;

    /// <inheritdoc/>
    public float FromDouble(double x) => (float)x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Exp(float x) => MathF.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Log(float x) => (float)DeviceMath.Log(x);
}

/// <summary>float64: <see cref="DeviceExp.Exp"/> and <see cref="DeviceMath.Log"/> (about an ulp from .NET's).</summary>
internal readonly struct F64Math : IFloatMath<double>
{
    /// <inheritdoc/>
    public double ToDouble(double x) => x;

    /// <inheritdoc/>
    public double FromDouble(double x) => x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Exp(double x) => DeviceExp.Exp(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Log(double x) => DeviceMath.Log(x);
}
