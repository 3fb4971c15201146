using System.Globalization;
using System.Text;

namespace Dendrite;

/// <summary>
/// Prints tensors the way PyTorch does: <c>tensor([[1.0000, 2.0000]], requiresGrad=True)</c>, with
/// <c>device='cuda:0'</c> first among the extras for a tensor that is not on the CPU (its elements are copied to the
/// host once).
/// </summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    public static string Format(Tensor t)
    {
        var sb = new StringBuilder("tensor(");
        bool summarize = t.Numel > Threshold;
        // One copy to host memory (a dense CPU tensor), so that reading the elements never waits on a device per element.
        var d = t.Detach();
        var values = d.Device.IsCpu ? d.CopyDense() : d.Cpu();
        var (fmt, width) = ChooseFormat(values, summarize);
        if (t.Rank == 0)
            sb.Append(FormatValue(values, 0, fmt));
        else
            AppendDim(sb, values, 0, 0, fmt, width, summarize, 7);
        var extras = new List<string>();
        if (!t.Device.IsCpu)
            extras.Add("device='" + t.Device + "'");
        if (summarize)
            extras.Add("shape=" + ShapeUtil.Format(t.ShapeArray));
        if (t.DType == DType.Float64)
            extras.Add("dtype=" + t.DType);
        if (t.GradFn is not null)
            extras.Add("gradFn=<" + t.GradFn.Name + ">");
        else if (t.RequiresGrad)
            extras.Add("requiresGrad=True");
        foreach (var e in extras)
            sb.Append(", ").Append(e);
        return sb.Append(')').ToString();
    }

    private static (string Format, int Width) ChooseFormat(Tensor v, bool summarize)
    {
        if (!v.DType.IsFloatingPoint())
        {
            int w = 1;
            for (int i = 0; i < v.Numel; i++)
                w = Math.Max(w, FormatValue(v, i, "").Length);
            return ("", w);
        }
        double maxAbs = 0, minAbs = double.PositiveInfinity;
        bool allInt = true;
        for (int i = 0; i < v.Numel; i++)
        {
            double x = v.GetFlat(i);
            if (!double.IsFinite(x))
                continue;
            double a = Math.Abs(x);
            maxAbs = Math.Max(maxAbs, a);
            if (a > 0)
                minAbs = Math.Min(minAbs, a);
            if (x != Math.Floor(x))
                allInt = false;
        }
        // PyTorch's rule over the nonzero finite magnitudes: scientific when they span more than 1000×, exceed 1e8,
        // or (for non-integers) go below 1e-4; otherwise integers print as "3." and the rest with 4 decimals.
        bool anyNonzero = minAbs <= maxAbs;
        bool sci = anyNonzero && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!allInt && minAbs < 1e-4));
        string fmt = sci ? "0.0000e+00" : allInt ? "0." : "0.0000";
        int width = 1;
        for (int i = 0; i < v.Numel; i++)
            width = Math.Max(width, FormatValue(v, i, fmt).Length);
        return (fmt, width);
    }

    private static string FormatValue(Tensor v, int i, string fmt)
    {
        switch (v.DType)
        {
            case DType.Bool:
                return v.GetFlat(i) != 0 ? "True" : "False";
            case DType.Int64:
                return ((long)v.GetFlat(i)).ToString(CultureInfo.InvariantCulture);
            default:
                double x = v.GetFlat(i);
                if (double.IsNaN(x)) return "nan";
                if (double.IsPositiveInfinity(x)) return "inf";
                if (double.IsNegativeInfinity(x)) return "-inf";
                // .NET drops a trailing "." from a custom format, so integral floats get theirs appended ("3.").
                return fmt == "0." ? x.ToString("0", CultureInfo.InvariantCulture) + "." : x.ToString(fmt, CultureInfo.InvariantCulture);
        }
    }

    private static void AppendDim(StringBuilder sb, Tensor v, int dim, int flatBase, string fmt, int width, bool summarize, int indent)
    {
        int size = v.ShapeArray[dim];
        int stride = 1;
        for (int d = dim + 1; d < v.Rank; d++)
            stride *= v.ShapeArray[d];
        sb.Append('[');
        bool last = dim == v.Rank - 1;
        for (int i = 0; i < size; i++)
        {
            if (summarize && size > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append(last ? "..., " : "...,\n" + new string(' ', indent + dim + 1));
                i = size - EdgeItems - 1;
                continue;
            }
            if (last)
                sb.Append(FormatValue(v, flatBase + i, fmt).PadLeft(width));
            else
                AppendDim(sb, v, dim + 1, flatBase + i * stride, fmt, width, summarize, indent);
            if (i < size - 1)
                sb.Append(last ? ", " : "," + new string('\n', v.Rank - dim - 1) + new string(' ', indent + dim + 1));
        }
        sb.Append(']');
    }
}
