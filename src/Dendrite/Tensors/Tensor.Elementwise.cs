using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>this + other, broadcasting.</summary>
    public Tensor Add(Tensor other) => AddFn.Apply(this, other);

    /// <summary>this + alpha·other, broadcasting.</summary>
    public Tensor Add(Tensor other, double alpha) => AddFn.Apply(this, other, alpha);

    /// <summary>this + scalar.</summary>
    public Tensor Add(double scalar) => AddFn.Apply(this, Dispatch.ScalarLike(this, scalar));

    /// <summary>this − other, broadcasting.</summary>
    public Tensor Sub(Tensor other) => AddFn.Apply(this, other, -1);

    /// <summary>this − scalar.</summary>
    public Tensor Sub(double scalar) => AddFn.Apply(this, Dispatch.ScalarLike(this, -scalar));

    /// <summary>this · other elementwise, broadcasting.</summary>
    public Tensor Mul(Tensor other) => MulFn.Apply(this, other);

    /// <summary>this · scalar.</summary>
    public Tensor Mul(double scalar) => MulFn.Apply(this, Dispatch.ScalarLike(this, scalar));

    /// <summary>this / other elementwise, broadcasting.</summary>
    public Tensor Div(Tensor other) => DivFn.Apply(this, other);

    /// <summary>this / scalar.</summary>
    public Tensor Div(double scalar) => DivFn.Apply(this, Dispatch.ScalarLike(this, scalar));

    /// <summary>−this.</summary>
    public Tensor Neg() => NegOp.Apply(this);

    /// <summary>eˣ.</summary>
    public Tensor Exp() => ExpOp.Apply(this);

    /// <summary>Natural logarithm (NaN below 0, −∞ at 0, as IEEE).</summary>
    public Tensor Log() => LogOp.Apply(this);

    /// <summary>Square root (NaN below 0).</summary>
    public Tensor Sqrt() => SqrtOp.Apply(this);

    /// <summary>Absolute value.</summary>
    public Tensor Abs() => AbsOp.Apply(this);

    /// <summary>x².</summary>
    public Tensor Square() => SquareOp.Apply(this);

    /// <summary>x raised to a scalar power.</summary>
    public Tensor Pow(double exponent) => PowScalarOp.Apply(this, exponent);

    /// <summary>Clamps into [min, max]; either bound may be null.</summary>
    public Tensor Clamp(double? min = null, double? max = null) => ClampOp.Apply(this, min, max);

    /// <summary>Elementwise maximum with broadcasting (NaN propagates).</summary>
    public Tensor Maximum(Tensor other) => MaximumFn.Apply(this, other, minimum: false);

    /// <summary>Elementwise minimum with broadcasting (NaN propagates).</summary>
    public Tensor Minimum(Tensor other) => MaximumFn.Apply(this, other, minimum: true);

    /// <summary>max(x, 0).</summary>
    public Tensor Relu() => ReluOp.Apply(this);

    /// <summary>x for x &gt; 0, negativeSlope·x otherwise.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01) => LeakyReluOp.Apply(this, negativeSlope);

    /// <summary>x for x &gt; 0, alpha·(eˣ − 1) otherwise.</summary>
    public Tensor Elu(double alpha = 1.0) => EluOp.Apply(this, alpha);

    /// <summary>The exact GELU, x·Φ(x).</summary>
    public Tensor Gelu() => GeluOp.Apply(this);

    /// <summary>The logistic sigmoid 1/(1 + e⁻ˣ).</summary>
    public Tensor Sigmoid() => SigmoidOp.Apply(this);

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh() => TanhOp.Apply(this);

    /// <summary>ln(1 + eˣ), linear above 20 for stability (PyTorch's beta 1, threshold 20).</summary>
    public Tensor Softplus() => SoftplusOp.Apply(this);
}
