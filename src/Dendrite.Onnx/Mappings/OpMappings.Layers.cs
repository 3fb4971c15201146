using Dendrite.Onnx.Export;

namespace Dendrite.Onnx.Mappings;

internal static partial class OpMappings
{
    // y = x·Wᵀ + b: one Gemm for a 2-D input; otherwise MatMul with Wᵀ, then Add b.
    private static void Linear(OpContext c)
    {
        bool bias = c.Input(2) is not null;
        if (c.Input(0)!.Rank == 2)
        {
            c.NodeTo(c.Out(), "Gemm", bias ? [c.In(0), c.In(1), c.In(2)] : [c.In(0), c.In(1)], ("transB", 1L));
            return;
        }
        string wt = c.Node("Transpose", [c.In(1)], ("perm", new[] { 1, 0 }));
        if (!bias)
        {
            c.NodeTo(c.Out(), "MatMul", [c.In(0), wt]);
            return;
        }
        c.NodeTo(c.Out(), "Add", [c.Node("MatMul", [c.In(0), wt]), c.In(2)]);
    }

    // Conv over [N, C, H, W] with weight [O, C/groups, KH, KW]; ONNX pads are [top, left, bottom, right].
    private static void Conv2d(OpContext c)
    {
        var w = c.Input(1)!;
        var (stride, padding, dilation) = (c.Attr<int[]>("stride"), c.Attr<int[]>("padding"), c.Attr<int[]>("dilation"));
        c.NodeTo(c.Out(), "Conv", c.Input(2) is null ? [c.In(0), c.In(1)] : [c.In(0), c.In(1), c.In(2)],
            ("kernel_shape", new[] { w.ShapeArray[2], w.ShapeArray[3] }), ("strides", stride), ("dilations", dilation),
            ("pads", new[] { padding[0], padding[1], padding[0], padding[1] }), ("group", c.Attr<int>("groups")));
    }

    // The fused layer is the three ops it computes: Conv (stride 1) → Relu → MaxPool 2×2 with stride 2.
    private static void Conv2dReluMaxPool(OpContext c)
    {
        var w = c.Input(1)!;
        var padding = c.Attr<int[]>("padding");
        string conv = c.Node("Conv", c.Input(2) is null ? [c.In(0), c.In(1)] : [c.In(0), c.In(1), c.In(2)],
            ("kernel_shape", new[] { w.ShapeArray[2], w.ShapeArray[3] }), ("strides", new[] { 1, 1 }), ("dilations", new[] { 1, 1 }),
            ("pads", new[] { padding[0], padding[1], padding[0], padding[1] }), ("group", 1L));
        string relu = c.Node("Relu", [conv]);
        c.NodeTo(c.Out(), "MaxPool", [relu], ("kernel_shape", new[] { 2, 2 }), ("strides", new[] { 2, 2 }), ("pads", new[] { 0, 0, 0, 0 }));
    }

    // MaxPool over [N, C, H, W] (padding acts as −∞, sizes round down: ceil_mode 0).
    private static void MaxPool2d(OpContext c)
    {
        RequireBatched(c);
        var (kernel, stride, padding, dilation) = (c.Attr<int[]>("kernel"), c.Attr<int[]>("stride"), c.Attr<int[]>("padding"), c.Attr<int[]>("dilation"));
        c.NodeTo(c.Out(), "MaxPool", [c.In(0)], ("kernel_shape", kernel), ("strides", stride), ("dilations", dilation),
            ("pads", new[] { padding[0], padding[1], padding[0], padding[1] }), ("ceil_mode", 0L));
    }

    // AveragePool with the zero padding counted in the divisor, as Dendrite (and PyTorch by default) do.
    private static void AvgPool2d(OpContext c)
    {
        RequireBatched(c);
        var (kernel, stride, padding) = (c.Attr<int[]>("kernel"), c.Attr<int[]>("stride"), c.Attr<int[]>("padding"));
        c.NodeTo(c.Out(), "AveragePool", [c.In(0)], ("kernel_shape", kernel), ("strides", stride),
            ("pads", new[] { padding[0], padding[1], padding[0], padding[1] }), ("count_include_pad", 1L), ("ceil_mode", 0L));
    }

    // Adaptive average pooling: GlobalAveragePool to 1×1; AveragePool when the output size divides the input's (every
    // window then has the same size and no overlap). Uneven windows have no ONNX op.
    private static void AdaptiveAvgPool2d(OpContext c)
    {
        RequireBatched(c);
        var x = c.Input(0)!;
        var output = c.Attr<int[]>("outputSize");
        int h = x.ShapeArray[2], w = x.ShapeArray[3];
        if (output[0] == 1 && output[1] == 1)
        {
            c.NodeTo(c.Out(), "GlobalAveragePool", [c.In(0)]);
            return;
        }
        if (h % output[0] != 0 || w % output[1] != 0)
            throw c.Fail($"it pools a {h}×{w} plane to {output[0]}×{output[1]} with windows of unequal sizes, which no ONNX op computes; " +
                         "choose an output size that divides the input's, or 1×1.");
        var kernel = new[] { h / output[0], w / output[1] };
        c.NodeTo(c.Out(), "AveragePool", [c.In(0)], ("kernel_shape", kernel), ("strides", kernel), ("ceil_mode", 0L));
    }

    private static void RequireBatched(OpContext c)
    {
        if (c.Input(0)!.Rank != 4)
            throw c.Fail($"its input has shape {ForwardTrace.Shape(c.Input(0)!)}; ONNX pooling takes [N, C, H, W], so add the batch dimension (Unsqueeze(0)) before exporting.");
    }

    // Evaluation-mode batch norm: BatchNormalization with the running statistics; an absent scale is ones, an absent shift zeros.
    private static void BatchNorm(OpContext c)
    {
        if (c.Attr<bool>("training"))
            throw c.Fail("it normalizes with the batch's own statistics (a BatchNorm without running statistics, or F.BatchNorm with training: true), " +
                         "which ONNX's BatchNormalization for inference does not compute; export a BatchNorm that tracks running statistics.");
        var x = c.Input(0)!;
        var dt = x.DType;
        int channels = x.ShapeArray[1];
        string scale = c.Input(3) is null ? c.Filled([channels], 1, dt) : c.InAs(3, dt);
        string shift = c.Input(4) is null ? c.Filled([channels], 0, dt) : c.InAs(4, dt);
        c.NodeTo(c.Out(), "BatchNormalization", [c.In(0), scale, shift, c.InAs(1, dt), c.InAs(2, dt)], ("epsilon", c.Attr<double>("eps")));
    }

    // LayerNormalization over the trailing dims; an absent scale is ones.
    private static void LayerNorm(OpContext c)
    {
        var shape = c.Attr<int[]>("normalizedShape");
        var dt = c.Input(0)!.DType;
        string scale = c.Input(1) is null ? c.Filled(shape, 1, dt) : c.In(1);
        c.NodeTo(c.Out(), "LayerNormalization", c.Input(2) is null ? [c.In(0), scale] : [c.In(0), scale, c.In(2)],
            ("axis", -shape.Length), ("epsilon", c.Attr<double>("eps")));
    }

    // Dropout reports only when it drops (training); in evaluation it is the identity and leaves no op behind.
    private static void Dropout(OpContext c) =>
        throw c.Fail("dropout in training mode draws a new random mask on every call, which an exported model cannot reproduce; the export runs " +
                     "modules in evaluation mode, so this is F.Dropout called with training: true (pass the module's IsTraining instead).");
}
