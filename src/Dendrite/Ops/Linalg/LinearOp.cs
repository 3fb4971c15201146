using Dendrite.Autograd;
using System.Runtime.Intrinsics;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>
/// y = x·Wᵀ + b for x [..., in], W [out, in], b [out] in one GEMM (bias written first, then accumulated onto).
/// Backward: dx = g·W, dW = gᵀ·x, db = Σ_rows g.
/// </summary>
internal sealed class LinearOp : GradFn
{
    public override string Name => "LinearBackward";

    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.Rank != 2)
            throw new ArgumentException($"Linear: weight must be 2-D [out, in], got shape {ShapeUtil.Format(weight.ShapeArray)}.");
        if (x.Rank < 1)
            throw new ArgumentException("Linear: input must have at least 1 dimension.");
        int outF = weight.ShapeArray[0], inF = weight.ShapeArray[1];
        if (x.ShapeArray[^1] != inF)
            throw new ArgumentException($"Linear: input of shape {ShapeUtil.Format(x.ShapeArray)} has {x.ShapeArray[^1]} features but weight {ShapeUtil.Format(weight.ShapeArray)} expects {inF} (cannot multiply {ShapeUtil.Format(x.ShapeArray)} by the transposed weight).");
        if (bias is not null && (bias.Rank != 1 || bias.ShapeArray[0] != outF))
            throw new ArgumentException($"Linear: bias must have shape [{outF}], got {ShapeUtil.Format(bias.ShapeArray)}.");
        var dt = x.DType;
        x.CheckFloating("Linear");
        if (weight.DType != dt || (bias is not null && bias.DType != dt))
            throw new ArgumentException($"Linear: input is {dt} but weight is {weight.DType}{(bias is null ? "" : " and bias " + bias.DType)}; convert them to one dtype.");

        var xc = x.IsContiguous ? x : x.CopyDense();
        int rows = xc.Numel / Math.Max(inF, 1);
        var outShape = (int[])x.ShapeArray.Clone();
        outShape[^1] = outF;
        var y = Tensor.Allocate(outShape, dt, bias is null);
        // x·Wᵀ + b in one pass where the GEMM kernel can add the bias as it stores each output tile.
        bool fused = bias is not null && rows > 0 && outF > 0 && inF > 0
            && TensorGemm.TryMmBias(xc, xc.Offset, inF, 1, weight, weight.Offset, weight.StrideArray[1], weight.StrideArray[0], rows, inF, outF, bias, y);
        if (!fused)
        {
            if (bias is not null)
                FillRows(y, bias, rows, outF);
            if (rows > 0 && outF > 0)
                TensorGemm.Mm(xc, xc.Offset, inF, 1, weight, weight.Offset, weight.StrideArray[1], weight.StrideArray[0], rows, inF, outF, y, 0, bias is null ? 0 : 1);
        }
        if (!ShouldRecord(x, weight, bias))
            return y;
        var fn = new LinearOp();
        fn.Save(xc, weight);
        return Record(fn, y, x, weight, bias);
    }

    private static void FillRows(Tensor y, Tensor bias, int rows, int outF)
    {
        var b = bias.IsContiguous ? bias : bias.CopyDense();
        if (y.DType == DType.Float32)
            Repeat(b.Span<float>(), y.Span<float>(), rows * outF);
        else
            Repeat(b.Span<double>(), y.Span<double>(), rows * outF);
    }

    /// <summary>Fills dst[0, total) with copies of <paramref name="row"/> end to end: one copy, then each copy
    /// doubles the filled prefix, so narrow rows (a bias of 5) cost log2(rows) block copies, not one call per row.</summary>
    private static void Repeat<T>(ReadOnlySpan<T> row, Span<T> dst, int total)
    {
        if (total == 0)
            return;
        row.CopyTo(dst);
        int filled = row.Length;
        while (filled < total)
        {
            int chunk = Math.Min(filled, total - filled);
            dst[..chunk].CopyTo(dst.Slice(filled, chunk));
            filled += chunk;
        }
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = Saved(0);
        var w = Saved(1);
        int outF = w.ShapeArray[0], inF = w.ShapeArray[1];
        var gc = g.IsContiguous ? g : g.CopyDense();
        int rows = gc.Numel / Math.Max(outF, 1);
        Tensor? gx = null, gw = null, gb = null;
        if (NeedsGrad(0))
        {
            // [rows, out]·[out, in] -> [rows, in]
            gx = Tensor.AllocateLike(x, g.DType, false);
            TensorGemm.Mm(gc, gc.Offset, outF, 1, w, w.Offset, w.StrideArray[0], w.StrideArray[1], rows, outF, inF, gx, 0);
        }
        if (NeedsGrad(1))
        {
            // [out, rows]·[rows, in] -> [out, in]
            gw = Tensor.Allocate([outF, inF], g.DType, rows == 0);
            if (rows > 0)
                TensorGemm.Mm(gc, gc.Offset, 1, outF, x, x.Offset, inF, 1, outF, rows, inF, gw, 0);
        }
        if (NeedsGrad(2))
        {
            gb = Tensor.Allocate([outF], g.DType, false);
            if (g.DType == DType.Float32 && outF >= ColumnSumMinWidth && rows > 0)
                ColumnSum(gc.Span<float>()[..(rows * outF)], rows, outF, gb.Span<float>());
            else if (g.DType == DType.Float32)
                ReduceKernel.Sum(gc.Span<float>(), 1, rows, outF, gb.Span<float>(), 1f);
            else
                ReduceKernel.Sum(gc.Span<double>(), 1, rows, outF, gb.Span<double>(), 1.0);
        }
        return [gx, gw, gb];
    }

    /// <summary>Below this width the generic reduction's narrow path (which sums in another order) is kept.</summary>
    private const int ColumnSumMinWidth = 16;

    /// <summary>dst[j] = Σ_i src[i, j] for a dense [rows, cols] block, adding the rows in order (the same order, hence
    /// the same rounding, as the generic row-by-row reduction) with 16 columns per vector and no call per row.</summary>
    private static unsafe void ColumnSum(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        const int W = 16;
        fixed (float* s = src, d = dst)
        {
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                // Four column vectors at a time keep four independent add chains in flight.
                for (; j + 4 * W <= cols; j += 4 * W)
                {
                    float* r = s + j;
                    Vector512<float> a0 = Vector512.Load(r), a1 = Vector512.Load(r + W), a2 = Vector512.Load(r + 2 * W), a3 = Vector512.Load(r + 3 * W);
                    for (int i = 1; i < rows; i++)
                    {
                        r += cols;
                        a0 += Vector512.Load(r); a1 += Vector512.Load(r + W); a2 += Vector512.Load(r + 2 * W); a3 += Vector512.Load(r + 3 * W);
                    }
                    a0.Store(d + j); a1.Store(d + j + W); a2.Store(d + j + 2 * W); a3.Store(d + j + 3 * W);
                }
                for (; j + W <= cols; j += W)
                {
                    float* r = s + j;
                    Vector512<float> a = Vector512.Load(r);
                    for (int i = 1; i < rows; i++)
                    {
                        r += cols;
                        a += Vector512.Load(r);
                    }
                    a.Store(d + j);
                }
            }
            for (; j < cols; j++)
            {
                float a = s[j];
                for (int i = 1; i < rows; i++)
                    a += s[(nint)i * cols + j];
                d[j] = a;
            }
        }
    }
}
