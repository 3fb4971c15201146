using Dendrite.Onnx.Export;

namespace Dendrite.Onnx.Mappings;

internal static partial class OpMappings
{
    // a + α·b: Add, Sub (α = −1), or Add(a, Mul(b, α)). Operands are cast to the result's dtype, as Dendrite promotes them.
    private static void Add(OpContext c)
    {
        double alpha = c.Attr<double>("alpha");
        var dt = c.Output().DType;
        string a = c.InAs(0, dt), b = c.InAs(1, dt);
        if (alpha == 1)
            c.NodeTo(c.Out(), "Add", [a, b]);
        else if (alpha == -1)
            c.NodeTo(c.Out(), "Sub", [a, b]);
        else
            c.NodeTo(c.Out(), "Add", [a, c.Node("Mul", [b, c.Scalar(alpha, dt)])]);
    }

    // A broadcasting binary op with both operands in the result's dtype.
    private static void Binary(OpContext c, string opType)
    {
        var dt = c.Output().DType;
        c.NodeTo(c.Out(), opType, [c.InAs(0, dt), c.InAs(1, dt)]);
    }

    private static void Unary(OpContext c, string opType, params (string Name, object Value)[] attributes) =>
        c.NodeTo(c.Out(), opType, [c.In(0)], attributes);

    // x² = x·x
    private static void Square(OpContext c)
    {
        string x = c.In(0);
        c.NodeTo(c.Out(), "Mul", [x, x]);
    }

    // xᵖ with a constant exponent of x's dtype
    private static void Pow(OpContext c) =>
        c.NodeTo(c.Out(), "Pow", [c.In(0), c.Scalar(c.Attr<double>("exponent"), c.Input(0)!.DType)]);

    // Clip(x, min, max); an infinite bound is left out ("" = absent optional input).
    private static void Clamp(OpContext c)
    {
        double lo = c.Attr<double>("min"), hi = c.Attr<double>("max");
        var dt = c.Input(0)!.DType;
        string min = double.IsNegativeInfinity(lo) ? "" : c.Scalar(lo, dt);
        string max = double.IsPositiveInfinity(hi) ? "" : c.Scalar(hi, dt);
        c.NodeTo(c.Out(), "Clip", max.Length == 0 ? [c.In(0), min] : [c.In(0), min, max]);
    }

    // The exact GELU: the Gelu op from opset 20; before it x·½·(1 + erf(x/√2)).
    private static void Gelu(OpContext c)
    {
        if (c.Opset >= 20)
        {
            c.NodeTo(c.Out(), "Gelu", [c.In(0)], ("approximate", "none"));
            return;
        }
        var dt = c.Input(0)!.DType;
        string x = c.In(0);
        string erf = c.Node("Erf", [c.Node("Mul", [x, c.Scalar(1 / Math.Sqrt(2), dt)])]);
        string onePlus = c.Node("Add", [erf, c.Scalar(1, dt)]);
        c.NodeTo(c.Out(), "Mul", [c.Node("Mul", [x, c.Scalar(0.5, dt)]), onePlus]);
    }

    // Comparisons run in the operands' promoted dtype (Bool as Int64), as in Dendrite; the result is Bool.
    private static void Compare(OpContext c, string opType)
    {
        var dt = CompareType(c);
        c.NodeTo(c.Out(), opType, [c.InAs(0, dt), c.InAs(1, dt)]);
    }

    // a ≠ b = ¬(a = b)
    private static void NotEqual(OpContext c)
    {
        var dt = CompareType(c);
        c.NodeTo(c.Out(), "Not", [c.Node("Equal", [c.InAs(0, dt), c.InAs(1, dt)])]);
    }

    private static DType CompareType(OpContext c)
    {
        var dt = DTypeExtensions.Promote(c.Input(0)!.DType, c.Input(1)!.DType);
        return dt == DType.Bool ? DType.Int64 : dt;
    }

    // condition ? x : y with x and y in the result's dtype
    private static void Where(OpContext c)
    {
        var dt = c.Output().DType;
        c.NodeTo(c.Out(), "Where", [c.In(0), c.InAs(1, dt), c.InAs(2, dt)]);
    }

    // mask ? value : x
    private static void MaskedFill(OpContext c) =>
        c.NodeTo(c.Out(), "Where", [c.In(1), c.Scalar(c.Attr<double>("value"), c.Input(0)!.DType), c.In(0)]);
}
