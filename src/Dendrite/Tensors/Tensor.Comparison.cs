using Dendrite.Backends;
using Dendrite.Ops;

namespace Dendrite;

public sealed partial class Tensor
{
    /// <summary>this == other elementwise, broadcasting, as a Bool tensor (operands promoted to a common dtype).</summary>
    public Tensor Eq(Tensor other) => Compare.Apply(this, other, CompareKind.Eq, "Eq");

    /// <summary>this == scalar elementwise, as a Bool tensor.</summary>
    public Tensor Eq(double scalar) => Compare.Apply(this, scalar, CompareKind.Eq, "Eq");

    /// <summary>this != other elementwise, broadcasting, as a Bool tensor (true where either is NaN).</summary>
    public Tensor Ne(Tensor other) => Compare.Apply(this, other, CompareKind.Ne, "Ne");

    /// <summary>this != scalar elementwise, as a Bool tensor.</summary>
    public Tensor Ne(double scalar) => Compare.Apply(this, scalar, CompareKind.Ne, "Ne");

    /// <summary>this &gt; other elementwise, broadcasting, as a Bool tensor.</summary>
    public Tensor Gt(Tensor other) => Compare.Apply(this, other, CompareKind.Gt, "Gt");

    /// <summary>this &gt; scalar elementwise, as a Bool tensor.</summary>
    public Tensor Gt(double scalar) => Compare.Apply(this, scalar, CompareKind.Gt, "Gt");

    /// <summary>this &lt; other elementwise, broadcasting, as a Bool tensor.</summary>
    public Tensor Lt(Tensor other) => Compare.Apply(this, other, CompareKind.Lt, "Lt");

    /// <summary>this &lt; scalar elementwise, as a Bool tensor.</summary>
    public Tensor Lt(double scalar) => Compare.Apply(this, scalar, CompareKind.Lt, "Lt");

    /// <summary>this ≥ other elementwise, broadcasting, as a Bool tensor.</summary>
    public Tensor Ge(Tensor other) => Compare.Apply(this, other, CompareKind.Ge, "Ge");

    /// <summary>this ≥ scalar elementwise, as a Bool tensor.</summary>
    public Tensor Ge(double scalar) => Compare.Apply(this, scalar, CompareKind.Ge, "Ge");

    /// <summary>this ≤ other elementwise, broadcasting, as a Bool tensor.</summary>
    public Tensor Le(Tensor other) => Compare.Apply(this, other, CompareKind.Le, "Le");

    /// <summary>this ≤ scalar elementwise, as a Bool tensor.</summary>
    public Tensor Le(double scalar) => Compare.Apply(this, scalar, CompareKind.Le, "Le");

    /// <summary>
    /// <paramref name="x"/> where <paramref name="condition"/> (Bool) is true, else <paramref name="y"/>, all three
    /// broadcasting (like <c>torch.where</c>). Differentiable with respect to x and y.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y) => WhereOp.Apply(condition, x, y);

    /// <summary><paramref name="x"/> where <paramref name="condition"/> is true, else the scalar <paramref name="y"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor x, double y) => WhereOp.Apply(condition, x, Scalar(y, x.DType, device: x.Device));

    /// <summary>The scalar <paramref name="x"/> where <paramref name="condition"/> is true, else <paramref name="y"/>.</summary>
    public static Tensor Where(Tensor condition, double x, Tensor y) => WhereOp.Apply(condition, Scalar(x, y.DType, device: y.Device), y);

    /// <summary>
    /// A copy with <paramref name="value"/> where <paramref name="mask"/> (Bool, broadcasting to this shape) is true.
    /// The gradient is 0 at masked positions.
    /// </summary>
    public Tensor MaskedFill(Tensor mask, double value) => MaskedFillOp.Apply(this, mask, value);

    /// <summary>Elementwise logical not (nonzero counts as true), as a Bool tensor.</summary>
    public Tensor LogicalNot() => Logical.Not(this);

    /// <summary>Elementwise logical and, broadcasting, as a Bool tensor.</summary>
    public Tensor LogicalAnd(Tensor other) => Logical.And(this, other, or: false, "LogicalAnd");

    /// <summary>Elementwise logical or, broadcasting, as a Bool tensor.</summary>
    public Tensor LogicalOr(Tensor other) => Logical.And(this, other, or: true, "LogicalOr");

    /// <summary>True (a 0-d Bool tensor) when any element is true (nonzero).</summary>
    public Tensor Any() => Logical.Reduce(this, all: false);

    /// <summary>True (a 0-d Bool tensor) when every element is true (nonzero); true for an empty tensor.</summary>
    public Tensor All() => Logical.Reduce(this, all: true);
}
