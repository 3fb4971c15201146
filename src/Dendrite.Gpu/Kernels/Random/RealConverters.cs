namespace Dendrite.Gpu.Kernels.Random;

/// <summary>Rounds a double result to the element type (the random fills compute in double, as the CPU does).</summary>
[KernelOperator]
internal interface IFromDouble<T> where T : unmanaged
{
    /// <summary>x rounded to T (nearest even).</summary>
    T Convert(double x);
}

/// <summary>double → float.</summary>
internal readonly struct ToFloat : IFromDouble<float>
{
    /// <inheritdoc/>
    public float Convert(double x) => (float)x;
}

/// <summary>double → double.</summary>
internal readonly struct ToDouble : IFromDouble<double>
{
    /// <inheritdoc/>
    public double Convert(double x) => x;
}
