using System.Numerics;

namespace Dendrite.Gpu.Kernels.Elementwise;

// The forward functions of IBackend.Unary as map operators (ElementwiseKernels.Map gets one instance per struct).
// Each reproduces the CPU backend's formula: arithmetic in T where the CPU computes in T, transcendental functions
// through DeviceMath in double, rounded once to T. Parameters arrive already rounded to T. Negation uses Negate<T>.

/// <summary>|x|.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct UnaryAbs<T> : IMapOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => T.Abs(x);
}

/// <summary>x².</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct UnarySquare<T> : IMapOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => x * x;
}

/// <summary>max(x, 0) with relu(−0) = +0 and NaN kept.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct UnaryRelu<T> : IMapOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => x > T.Zero || T.IsNaN(x) ? x : T.Zero;
}

/// <summary>eˣ.</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnaryExp<T, TR> : IMapOp<T, T> where T : unmanaged where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => default(TR).Narrow(DeviceMath.Exp(default(TR).Wide(x)));
}

/// <summary>ln x (−∞ at 0, NaN below).</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnaryLog<T, TR> : IMapOp<T, T> where T : unmanaged where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => default(TR).Narrow(DeviceMath.Log(default(TR).Wide(x)));
}

/// <summary>√x (correctly rounded: the double root of a float rounds to the float root).</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnarySqrt<T, TR> : IMapOp<T, T> where T : unmanaged where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => default(TR).Narrow(Math.Sqrt(default(TR).Wide(x)));
}

/// <summary>1/(1 + e⁻ˣ): 0 once e⁻ˣ overflows, 1 once it underflows.</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnarySigmoid<T, TR> : IMapOp<T, T> where T : unmanaged where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => default(TR).Narrow(1.0 / (1.0 + DeviceMath.Exp(-default(TR).Wide(x))));
}

/// <summary>tanh x.</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnaryTanh<T, TR> : IMapOp<T, T> where T : unmanaged where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => default(TR).Narrow(DeviceMath.Tanh(default(TR).Wide(x)));
}

/// <summary>Exact GELU x·Φ(x) = ½x(1 + erf(x/√2)), in double for both element types (as the CPU).</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnaryGelu<T, TR> : IMapOp<T, T> where T : unmanaged where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T x)
    {
        double v = default(TR).Wide(x);
        return default(TR).Narrow(0.5 * v * (1.0 + DeviceMath.Erf(v * 0.70710678118654752440)));
    }
}

/// <summary>Softplus with beta 1 and threshold 20: x above 20, else ln(1 + eˣ).</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnarySoftplus<T, TR> : IMapOp<T, T> where T : unmanaged where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T x)
    {
        double v = default(TR).Wide(x);
        return v > 20.0 ? x : default(TR).Narrow(DeviceMath.Log1p(DeviceMath.Exp(v)));
    }
}

/// <summary>x above 0, else α(eˣ − 1) (computed in T, as the CPU).</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnaryElu<T, TR>(T alpha) : IMapOp<T, T> where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
{
    /// <summary>α.</summary>
    public T Alpha { get; } = alpha;

    /// <inheritdoc/>
    public T Apply(T x) => x > T.Zero ? x : Alpha * (default(TR).Narrow(DeviceMath.Exp(default(TR).Wide(x))) - T.One);
}

/// <summary>x above 0, else slope·x.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct UnaryLeakyRelu<T>(T slope) : IMapOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The negative slope.</summary>
    public T Slope { get; } = slope;

    /// <inheritdoc/>
    public T Apply(T x) => x > T.Zero ? x : x * Slope;
}

/// <summary>min(max(x, lo), hi); NaN passes through (both comparisons are false).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct UnaryClamp<T>(T low, T high) : IMapOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The lower bound.</summary>
    public T Low { get; } = low;

    /// <summary>The upper bound.</summary>
    public T High { get; } = high;

    /// <inheritdoc/>
    public T Apply(T x) => x < Low ? Low : x > High ? High : x;
}

/// <summary>How <see cref="UnaryPow{T, TR}"/> evaluates xᵖ, chosen on the host from p as the CPU does.</summary>
internal enum PowMode
{
    /// <summary>xᵖ by <see cref="DeviceMath.Pow"/>.</summary>
    General,

    /// <summary>p = 2: x·x.</summary>
    Square,

    /// <summary>p = 1: x.</summary>
    Identity,

    /// <summary>p = ½: √x.</summary>
    Sqrt,

    /// <summary>p = 0 (the gradient only: 0).</summary>
    Zero,
}

/// <summary>xᵖ for a scalar p (rounded to T).</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct UnaryPow<T, TR>(T exponent, PowMode mode) : IMapOp<T, T> where T : unmanaged, IFloatingPointIeee754<T> where TR : struct, IReal<T>
{
    /// <summary>p.</summary>
    public T Exponent { get; } = exponent;

    /// <summary>The evaluation chosen for p.</summary>
    public PowMode Mode { get; } = mode;

    /// <inheritdoc/>
    public T Apply(T x) => Mode switch
    {
        PowMode.Square => x * x,
        PowMode.Identity => x,
        PowMode.Sqrt => default(TR).Narrow(Math.Sqrt(default(TR).Wide(x))),
        _ => default(TR).Narrow(DeviceMath.Pow(default(TR).Wide(x), default(TR).Wide(Exponent))),
    };
}
