using Dendrite.Onnx.Export;

namespace Dendrite.Onnx.Mappings;

internal static partial class OpMappings
{
    // Reshape to the op's shape. A size that follows the batch is written as 0 (copy the input's size at that index)
    // where it is the input's own batch-following size, else as −1 (inferred), which ONNX allows once.
    private static void Reshape(OpContext c)
    {
        var (shape, varies) = c.IntsByBatch("shape");
        var x = c.Input(0)!;
        var inVaries = c.InputVaries(0);
        var twinShape = c.Twin?.Get<int[]>("shape") ?? shape;
        bool literalZero = shape.Contains(0);
        var target = new long[shape.Length];
        int inferred = 0;
        for (int k = 0; k < shape.Length; k++)
        {
            if (!varies[k])
                target[k] = shape[k];
            else if (!literalZero && k < x.Rank && inVaries[k] && x.ShapeArray[k] == shape[k] && c.TwinInputSize(0, k) == twinShape[k])
                target[k] = 0;
            else
            {
                target[k] = -1;
                inferred++;
            }
        }
        if (inferred > 1)
            throw c.Fail($"it reshapes {ForwardTrace.Shape(x)} to {ShapeUtil.Format(shape)}, and {inferred} of those sizes follow the batch in ways " +
                         $"one Reshape cannot express: {GraphBuilder.VariesHint}");
        if (literalZero)
            c.NodeTo(c.Out(), "Reshape", [c.In(0), c.Int64s(target)], ("allowzero", 1L));
        else
            c.NodeTo(c.Out(), "Reshape", [c.In(0), c.Int64s(target)]);
    }

    // A slice of one dim: Slice(starts, ends, axes). A slice that runs to the end (in both runs) ends at +∞; a start or
    // end that follows the batch is written from the end when it keeps its distance from it.
    private static void Narrow(OpContext c)
    {
        int dim = c.Attr<int>("dim");
        var (start, _) = c.IntByBatch("start");
        var (length, _) = c.IntByBatch("length");
        int size = c.Input(0)!.ShapeArray[dim], twinSize = c.TwinInputSize(0, dim);
        int twinStart = c.TwinAttr<int>("start"), twinEnd = twinStart + c.TwinAttr<int>("length");
        int end = start + length;
        bool toEnd = end == size && twinEnd == twinSize;
        if (start == 0 && twinStart == 0 && toEnd)
        {
            Identity(c);
            return;
        }
        long s = start == twinStart ? start
            : start - size == twinStart - twinSize ? start - size
            : throw c.Fail($"its start {start} (of {size}) becomes {twinStart} (of {twinSize}) for another batch size: {GraphBuilder.VariesHint}");
        long e = toEnd ? long.MaxValue
            : end == twinEnd ? end
            : end - size == twinEnd - twinSize ? end - size
            : throw c.Fail($"its end {end} (of {size}) becomes {twinEnd} (of {twinSize}) for another batch size: {GraphBuilder.VariesHint}");
        c.NodeTo(c.Out(), "Slice", [c.In(0), c.Int64s(s), c.Int64s(e), c.Int64s(dim)]);
    }

    // One entry of a dim, the dim removed: Gather with a 0-d index (from the end when the index keeps its distance from it).
    private static void Select(OpContext c)
    {
        int dim = c.Attr<int>("dim");
        var (index, varies) = c.IntByBatch("index");
        long i = index;
        if (varies)
        {
            int size = c.Input(0)!.ShapeArray[dim], twinSize = c.TwinInputSize(0, dim), twinIndex = c.TwinAttr<int>("index");
            if (index - size != twinIndex - twinSize)
                throw c.Fail($"it selects index {index} of {size}, but {twinIndex} of {twinSize} for another batch size: {GraphBuilder.VariesHint}");
            i = index - size;
        }
        c.NodeTo(c.Out(), "Gather", [c.In(0), c.Int64Scalar(i)], ("axis", dim));
    }

    // Broadcast to the op's shape: Expand with 1 wherever the input keeps its own size (so a size that follows the
    // batch is carried by the input), the target size elsewhere.
    private static void Expand(OpContext c)
    {
        var (shape, varies) = c.IntsByBatch("shape");
        var twinShape = c.Twin?.Get<int[]>("shape") ?? shape;
        var x = c.Input(0)!;
        int shift = shape.Length - x.Rank;
        var target = new long[shape.Length];
        for (int k = 0; k < shape.Length; k++)
        {
            bool keeps = k >= shift && x.ShapeArray[k - shift] == shape[k] && c.TwinInputSize(0, k - shift) == twinShape[k];
            if (keeps)
                target[k] = 1;
            else if (!varies[k])
                target[k] = shape[k];
            else
                throw c.Fail($"it expands {ForwardTrace.Shape(x)} to {ShapeUtil.Format(shape)}, where dim {k} grows to a size that follows the batch: {GraphBuilder.VariesHint}");
        }
        c.NodeTo(c.Out(), "Expand", [c.In(0), c.Int64s(target)]);
    }

    // Concat along the op's dim, every input in the result's dtype.
    private static void Cat(OpContext c)
    {
        var dt = c.Output().DType;
        var inputs = new string[c.Op.Inputs.Count];
        for (int i = 0; i < inputs.Length; i++)
            inputs[i] = c.InAs(i, dt);
        c.NodeTo(c.Out(), "Concat", inputs, ("axis", c.Attr<int>("dim")));
    }

    // Rows (or any dim's entries) by a 1-D index: Gather; a 0-d index keeps the dim with size 1, as Dendrite does.
    private static void IndexSelect(OpContext c)
    {
        string index = c.Input(1)!.Rank == 0 ? c.Node("Reshape", [c.In(1), c.Int64s(1)]) : c.In(1);
        c.NodeTo(c.Out(), "Gather", [c.In(0), index], ("axis", c.Attr<int>("dim")));
    }
}
