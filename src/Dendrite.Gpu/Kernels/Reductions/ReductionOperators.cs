using System.Numerics;

namespace Dendrite.Gpu.Kernels.Reductions;

/// <summary>An associative combine with an identity: sum, max, min. Structs, so kernels inline them.</summary>
[KernelOperator]
internal interface IReduceOp<T> where T : unmanaged
{
    /// <summary>The value that changes nothing (0 for sum, −∞ for max): what a thread without elements holds.</summary>
    T Identity { get; }

    /// <summary>Combines two partial results.</summary>
    T Combine(T a, T b);
}

/// <summary>
/// The order of an arg-reduction (argmax/argmin): which of two values is strictly better. Ties are broken by the
/// smaller index, so the result is the first occurrence, as in PyTorch.
/// </summary>
[KernelOperator]
internal interface IArgReduceOp<T> where T : unmanaged
{
    /// <summary>The value a thread without elements holds (never better than any element).</summary>
    T Identity { get; }

    /// <summary>True when <paramref name="candidate"/> is strictly better than <paramref name="current"/>.</summary>
    bool Better(T candidate, T current);
}

/// <summary>Σ x (accumulated in T, in a fixed tree order: the same bits every run on a device).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct SumOp<T> : IReduceOp<T> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    public T Combine(T a, T b) => a + b;
}

/// <summary>max x; NaN wins (propagates), as in PyTorch.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct MaxOp<T> : IReduceOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.NegativeInfinity;

    /// <inheritdoc/>
    public T Combine(T a, T b) => T.IsNaN(a) || a >= b ? a : b;
}

/// <summary>min x; NaN wins (propagates), as in PyTorch.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct MinOp<T> : IReduceOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.PositiveInfinity;

    /// <inheritdoc/>
    public T Combine(T a, T b) => T.IsNaN(a) || a <= b ? a : b;
}

/// <summary>argmax: larger is better; NaN is better than any number (PyTorch returns the first NaN).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct ArgMaxOp<T> : IArgReduceOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.NegativeInfinity;

    /// <inheritdoc/>
    public bool Better(T candidate, T current) => T.IsNaN(candidate) ? !T.IsNaN(current) : candidate > current;
}

/// <summary>argmin: smaller is better; NaN is better than any number.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct ArgMinOp<T> : IArgReduceOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.PositiveInfinity;

    /// <inheritdoc/>
    public bool Better(T candidate, T current) => T.IsNaN(candidate) ? !T.IsNaN(current) : candidate < current;
}
