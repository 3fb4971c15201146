using Dendrite.Onnx.Export;

namespace Dendrite.Onnx.Mappings;

/// <summary>
/// How each traced op (by the kind it reports, see <c>Dendrite.Tracing.OpTrace</c>) is written as ONNX nodes: one
/// entry per op. To export a new op, make it report to the tracer and add its entry here; an op without an entry fails
/// the export with its name and module. Attributes are read under the names the op reports them with.
/// </summary>
internal static partial class OpMappings
{
    /// <summary>Op kind → the mapping that writes its nodes.</summary>
    public static IReadOnlyDictionary<string, Action<OpContext>> Table { get; } = new Dictionary<string, Action<OpContext>>(StringComparer.Ordinal)
    {
        // Elementwise (OpMappings.Elementwise.cs)
        ["Add"] = Add,
        ["Mul"] = c => Binary(c, "Mul"),
        ["Div"] = c => Binary(c, "Div"),
        ["Maximum"] = c => Binary(c, "Max"),
        ["Minimum"] = c => Binary(c, "Min"),
        ["Neg"] = c => Unary(c, "Neg"),
        ["Exp"] = c => Unary(c, "Exp"),
        ["Log"] = c => Unary(c, "Log"),
        ["Sqrt"] = c => Unary(c, "Sqrt"),
        ["Abs"] = c => Unary(c, "Abs"),
        ["Relu"] = c => Unary(c, "Relu"),
        ["Sigmoid"] = c => Unary(c, "Sigmoid"),
        ["Tanh"] = c => Unary(c, "Tanh"),
        ["Softplus"] = c => Unary(c, "Softplus"),
        ["Square"] = Square,
        ["Pow"] = Pow,
        ["Clamp"] = Clamp,
        ["LeakyRelu"] = c => Unary(c, "LeakyRelu", ("alpha", c.Attr<double>("negativeSlope"))),
        ["Elu"] = c => Unary(c, "Elu", ("alpha", c.Attr<double>("alpha"))),
        ["Gelu"] = Gelu,
        ["Eq"] = c => Compare(c, "Equal"),
        ["Ne"] = NotEqual,
        ["Gt"] = c => Compare(c, "Greater"),
        ["Lt"] = c => Compare(c, "Less"),
        ["Ge"] = c => Compare(c, "GreaterOrEqual"),
        ["Le"] = c => Compare(c, "LessOrEqual"),
        ["LogicalAnd"] = c => c.NodeTo(c.Out(), "And", [c.In(0), c.In(1)]),
        ["LogicalOr"] = c => c.NodeTo(c.Out(), "Or", [c.In(0), c.In(1)]),
        ["Where"] = Where,
        ["MaskedFill"] = MaskedFill,

        // Reductions and softmax (OpMappings.Reductions.cs)
        ["Sum"] = c => Reduce(c, "ReduceSum"),
        ["Mean"] = c => Reduce(c, "ReduceMean"),
        ["Var"] = Var,
        ["LogSumExp"] = c => c.Reduce("ReduceLogSumExp", c.In(0), [c.Attr<int>("dim")], c.Attr<bool>("keepDim"), c.Out()),
        ["MaxAll"] = c => c.Reduce("ReduceMax", c.In(0), null, false, c.Out()),
        ["MinAll"] = c => c.Reduce("ReduceMin", c.In(0), null, false, c.Out()),
        ["MaxDim"] = c => ExtremeWithIndex(c, "ReduceMax", "ArgMax"),
        ["MinDim"] = c => ExtremeWithIndex(c, "ReduceMin", "ArgMin"),
        ["ArgMax"] = c => ArgExtreme(c, "ArgMax"),
        ["ArgMin"] = c => ArgExtreme(c, "ArgMin"),
        ["Softmax"] = c => c.NodeTo(c.Out(), "Softmax", [c.In(0)], ("axis", c.Attr<int>("dim"))),
        ["LogSoftmax"] = c => c.NodeTo(c.Out(), "LogSoftmax", [c.In(0)], ("axis", c.Attr<int>("dim"))),

        // Shapes, indexing and conversions (OpMappings.Shape.cs)
        ["Reshape"] = Reshape,
        ["Permute"] = c => c.NodeTo(c.Out(), "Transpose", [c.In(0)], ("perm", c.Attr<int[]>("dims"))),
        ["Narrow"] = Narrow,
        ["Select"] = Select,
        ["Expand"] = Expand,
        ["Cat"] = Cat,
        ["Gather"] = c => c.NodeTo(c.Out(), "GatherElements", [c.In(0), c.In(1)], ("axis", c.Attr<int>("dim"))),
        ["IndexSelect"] = IndexSelect,
        ["Convert"] = c => c.NodeTo(c.Out(), "Cast", [c.In(0)], ("to", (long)TensorData.ElementType(c.Attr<DType>("dtype")))),
        ["Clone"] = Identity,
        ["Detach"] = Identity,
        ["ToDevice"] = Identity,

        // Layers (OpMappings.Layers.cs)
        ["MatMul"] = c => c.NodeTo(c.Out(), "MatMul", [c.InAs(0, c.Output().DType), c.InAs(1, c.Output().DType)]),
        ["Linear"] = Linear,
        ["Conv2d"] = Conv2d,
        ["Conv2dReluMaxPool"] = Conv2dReluMaxPool,
        ["MaxPool2d"] = MaxPool2d,
        ["AvgPool2d"] = AvgPool2d,
        ["AdaptiveAvgPool2d"] = AdaptiveAvgPool2d,
        ["BatchNorm"] = BatchNorm,
        ["LayerNorm"] = LayerNorm,
        ["Dropout"] = Dropout,
    };

    // y = x: a view, a copy, a detach or a device move is the same value in a graph.
    private static void Identity(OpContext c) => c.NodeTo(c.Out(), "Identity", [c.In(0)]);
}
