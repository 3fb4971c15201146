using System.Numerics;

namespace Dendrite.Gpu.Kernels.Elementwise;

/// <summary>y = f(x), one element in, one out. Implementations are structs, so kernels inline them.</summary>
[KernelOperator]
internal interface IMapOp<TIn, TOut> where TIn : unmanaged where TOut : unmanaged
{
    /// <summary>The result for one element.</summary>
    TOut Apply(TIn x);
}

/// <summary>y = f(a, b), two same-position elements in, one out.</summary>
[KernelOperator]
internal interface IZipOp<TA, TB, TOut> where TA : unmanaged where TB : unmanaged where TOut : unmanaged
{
    /// <summary>The result for one pair.</summary>
    TOut Apply(TA a, TB b);
}

/// <summary>y = −x.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct Negate<T> : IMapOp<T, T> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public T Apply(T x) => -x;
}

/// <summary>y = x + c (the scalar travels in the operator).</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct AddScalar<T>(T value) : IMapOp<T, T> where T : unmanaged, INumber<T>
{
    /// <summary>The scalar c.</summary>
    public T Value { get; } = value;

    /// <inheritdoc/>
    public T Apply(T x) => x + Value;
}

/// <summary>y = x · c.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct MulScalar<T>(T value) : IMapOp<T, T> where T : unmanaged, INumber<T>
{
    /// <summary>The scalar c.</summary>
    public T Value { get; } = value;

    /// <inheritdoc/>
    public T Apply(T x) => x * Value;
}

/// <summary>y = a + b.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct Add<T> : IZipOp<T, T, T> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a + b;
}

/// <summary>y = a − b.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct Subtract<T> : IZipOp<T, T, T> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a - b;
}

/// <summary>y = a · b.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct Multiply<T> : IZipOp<T, T, T> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a * b;
}

/// <summary>y = a / b.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double))]
internal readonly struct Divide<T> : IZipOp<T, T, T> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public T Apply(T a, T b) => a / b;
}

/// <summary>y = (a &lt; b) as a bool byte (1 or 0); false when either is NaN.</summary>
[OperatorInstance(typeof(float)), OperatorInstance(typeof(double)), OperatorInstance(typeof(long))]
internal readonly struct LessThan<T> : IZipOp<T, T, byte> where T : unmanaged, INumber<T>
{
    /// <inheritdoc/>
    public byte Apply(T a, T b) => a < b ? (byte)1 : (byte)0;
}
