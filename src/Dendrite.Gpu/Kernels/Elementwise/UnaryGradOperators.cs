using System.Numerics;

namespace Dendrite.Gpu.Kernels.Elementwise;

// The fused backward formulas of IBackend.UnaryBackward as zip operators: Apply(g, s) = g·f′, where s is the saved
// output y (sigmoid, tanh, ReLU) or the saved input x (the others). ElementwiseKernels.Zip gets one instance each.

/// <summary>g·y·(1 − y) from the sigmoid's output.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct GradSigmoid<T> : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T g, T y) => g * y * (T.One - y);
}

/// <summary>g·(1 − y²) from the tanh's output.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct GradTanh<T> : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T g, T y) => g * (T.One - y * y);
}

/// <summary>g where the ReLU's output is positive, else 0.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct GradRelu<T> : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T g, T y) => y > T.Zero ? g : T.Zero;
}

/// <summary>g·sign(x) (0 at x = 0).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct GradAbs<T> : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T g, T x) => x > T.Zero ? g : x < T.Zero ? -g : T.Zero;
}

/// <summary>g·(Φ(x) + x·φ(x)), the bracket in double and rounded to T (as the CPU).</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct GradGelu<T, TR> : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T g, T x)
    {
        double v = default(TR).Wide(x);
        double cdf = 0.5 * (1.0 + DeviceMath.Erf(v * 0.70710678118654752440));
        double pdf = DeviceMath.Exp(-0.5 * v * v) * 0.39894228040143267794;
        return g * default(TR).Narrow(cdf + v * pdf);
    }
}

/// <summary>g above the threshold 20, else g/(1 + e⁻ˣ) (in T).</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct GradSoftplus<T, TR> : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T g, T x)
    {
        double v = default(TR).Wide(x);
        return v > 20.0 ? g : g / (T.One + default(TR).Narrow(DeviceMath.Exp(-v)));
    }
}

/// <summary>g above 0, else g·α·eˣ.</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct GradElu<T, TR>(T alpha) : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
{
    /// <summary>α.</summary>
    public T Alpha { get; } = alpha;

    /// <inheritdoc/>
    public T Apply(T g, T x) => x > T.Zero ? g : g * Alpha * default(TR).Narrow(DeviceMath.Exp(default(TR).Wide(x)));
}

/// <summary>g above 0, else g·slope.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct GradLeakyRelu<T>(T slope) : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The negative slope.</summary>
    public T Slope { get; } = slope;

    /// <inheritdoc/>
    public T Apply(T g, T x) => x > T.Zero ? g : g * Slope;
}

/// <summary>g where lo ≤ x ≤ hi, else 0 (NaN gets 0).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct GradClamp<T>(T low, T high) : IZipOp<T, T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The lower bound.</summary>
    public T Low { get; } = low;

    /// <summary>The upper bound.</summary>
    public T High { get; } = high;

    /// <inheritdoc/>
    public T Apply(T g, T x) => x >= Low && x <= High ? g : T.Zero;
}

/// <summary>
/// g·p·x^(p − 1): 0 for p = 0, g·2·x for p = 2, else with p and p − 1 each rounded
/// to T.
/// </summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct GradPow<T, TR>(T exponent, T exponentMinusOne, PowMode mode) : IZipOp<T, T, T>
    where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
{
    /// <summary>p.</summary>
    public T Exponent { get; } = exponent;

    /// <summary>p − 1.</summary>
    public T ExponentMinusOne { get; } = exponentMinusOne;

    /// <summary><see cref="PowMode.Zero"/>, <see cref="PowMode.Square"/> or <see cref="PowMode.General"/>.</summary>
    public PowMode Mode { get; } = mode;

    /// <inheritdoc/>
    public T Apply(T g, T x)
    {
        if (Mode == PowMode.Zero)
            return T.Zero;
        if (Mode == PowMode.Square)
            return g * (T.One + T.One) * x;
        return g * Exponent * default(TR).Narrow(DeviceMath.Pow(default(TR).Wide(x), default(TR).Wide(ExponentMinusOne)));
    }
}
