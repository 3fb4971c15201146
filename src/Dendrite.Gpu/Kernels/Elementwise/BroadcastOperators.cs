using System.Numerics;

namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>
/// y = f(a, b) for the broadcasting kernels of <see cref="BroadcastKernels"/> (IBackend.Binary and Compare): a
/// separate operator family from <see cref="IZipOp{TA, TB, TOut}"/>, so only these get broadcasting instances.
/// </summary>
[KernelOperator]
internal interface IBroadcastOp<T, TOut> where T : unmanaged where TOut : unmanaged
{
    /// <summary>The result for one pair.</summary>
    TOut Apply(T a, T b);
}

/// <summary>a + b.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct BinaryAdd<T> : IBroadcastOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a + b;
}

/// <summary>a − b.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct BinarySub<T> : IBroadcastOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a - b;
}

/// <summary>a · b.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct BinaryMul<T> : IBroadcastOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a * b;
}

/// <summary>a / b.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct BinaryDiv<T> : IBroadcastOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a / b;
}

/// <summary>max(a, b); NaN wins (torch.maximum).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct BinaryMaximum<T> : IBroadcastOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? T.NaN : a >= b ? a : b;
}

/// <summary>min(a, b); NaN wins (torch.minimum).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct BinaryMinimum<T> : IBroadcastOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => T.IsNaN(a) || T.IsNaN(b) ? T.NaN : a <= b ? a : b;
}

/// <summary>aᵇ by <see cref="DeviceMath.Pow"/> in double, rounded to T.</summary>
[OperatorInstance(typeof(float), typeof(Real32)), OperatorInstance(typeof(double), typeof(Real64))]
internal readonly struct BinaryPow<T, TR> : IBroadcastOp<T, T> where T : unmanaged where TR : struct, IReal<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => default(TR).Narrow(DeviceMath.Pow(default(TR).Wide(a), default(TR).Wide(b)));
}

/// <summary>The share of a gradient that goes to a in max(a, b): 1 where a &gt; b, ½ where a = b, else 0.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct BinaryWinWeight<T> : IBroadcastOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a > b ? T.One : a == b ? T.One / (T.One + T.One) : T.Zero;
}

/// <summary>a == b as a bool byte (false with NaN).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct CompareEq<T> : IBroadcastOp<T, byte> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public byte Apply(T a, T b) => a == b ? (byte)1 : (byte)0;
}

/// <summary>a != b as a bool byte (true with NaN).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct CompareNe<T> : IBroadcastOp<T, byte> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public byte Apply(T a, T b) => a != b ? (byte)1 : (byte)0;
}

/// <summary>a &gt; b as a bool byte (false with NaN).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct CompareGt<T> : IBroadcastOp<T, byte> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public byte Apply(T a, T b) => a > b ? (byte)1 : (byte)0;
}

/// <summary>a &lt; b as a bool byte (false with NaN).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct CompareLt<T> : IBroadcastOp<T, byte> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public byte Apply(T a, T b) => a < b ? (byte)1 : (byte)0;
}

/// <summary>a ≥ b as a bool byte (false with NaN).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct CompareGe<T> : IBroadcastOp<T, byte> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public byte Apply(T a, T b) => a >= b ? (byte)1 : (byte)0;
}

/// <summary>a ≤ b as a bool byte (false with NaN).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct CompareLe<T> : IBroadcastOp<T, byte> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public byte Apply(T a, T b) => a <= b ? (byte)1 : (byte)0;
}
