using Dendrite.Onnx.Export;

namespace Dendrite.Onnx.Mappings;

internal static partial class OpMappings
{
    // Sum or mean over the op's dims (all of them for a 0-d input), the input in the result's dtype (a Bool sum counts in Int64).
    private static void Reduce(OpContext c, string opType)
    {
        var dims = c.Attr<int[]>("dims");
        c.Reduce(opType, c.InAs(0, c.Output().DType), dims.Length == 0 ? null : dims, c.Attr<bool>("keepDim"), c.Out());
    }

    // var = mean((x − mean(x))²) over the dims, times n / (n − 1) when unbiased (n = the number of reduced elements,
    // which must not follow the batch).
    private static void Var(OpContext c)
    {
        var dims = c.Attr<int[]>("dims");
        bool unbiased = c.Attr<bool>("unbiased"), keep = c.Attr<bool>("keepDim");
        if (!unbiased)
            c.IntByBatch("count"); // the biased variance does not use n
        string x = c.In(0);
        string mean = c.Fresh("mean");
        c.Reduce("ReduceMean", x, dims, true, mean);
        string d = c.Node("Sub", [x, mean]);
        string sq = c.Node("Mul", [d, d]);
        if (!unbiased)
        {
            c.Reduce("ReduceMean", sq, dims, keep, c.Out());
            return;
        }
        int n = c.Attr<int>("count");
        string biased = c.Fresh("var");
        c.Reduce("ReduceMean", sq, dims, keep, biased);
        c.NodeTo(c.Out(), "Mul", [biased, c.Scalar(n / (double)(n - 1), c.Output().DType)]);
    }

    // Values and first indices of the extremes over one dim.
    private static void ExtremeWithIndex(OpContext c, string reduce, string arg)
    {
        int dim = c.Attr<int>("dim");
        bool keep = c.Attr<bool>("keepDim");
        string x = c.In(0);
        c.Reduce(reduce, x, [dim], keep, c.Out(0));
        c.NodeTo(c.Out(1), arg, [x], ("axis", dim), ("keepdims", keep ? 1L : 0L), ("select_last_index", 0L));
    }

    // Index of the first extreme over one dim, or over the flattened tensor when the op had no dim.
    private static void ArgExtreme(OpContext c, string opType)
    {
        bool keep = c.Attr<bool>("keepDim");
        if (c.Op.Has("dim"))
        {
            c.NodeTo(c.Out(), opType, [c.In(0)], ("axis", c.Attr<int>("dim")), ("keepdims", keep ? 1L : 0L), ("select_last_index", 0L));
            return;
        }
        string flat = c.Node("Reshape", [c.In(0), c.Int64s(-1)]);
        if (!keep)
        {
            c.NodeTo(c.Out(), opType, [flat], ("axis", 0L), ("keepdims", 0L), ("select_last_index", 0L));
            return;
        }
        string index = c.Node(opType, [flat], ("axis", 0L), ("keepdims", 0L), ("select_last_index", 0L));
        var ones = new long[c.Input(0)!.Rank];
        Array.Fill(ones, 1L);
        c.NodeTo(c.Out(), "Reshape", [index, c.Int64s(ones)]);
    }
}
