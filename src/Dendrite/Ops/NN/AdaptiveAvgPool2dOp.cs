using System.Numerics;
using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Adaptive 2-D average pooling to a fixed output size: output row i averages input rows
/// [floor(i·H/OutH), ceil((i+1)·H/OutH)), likewise for columns (PyTorch's windows, which may overlap).
/// </summary>
internal sealed class AdaptiveAvgPool2dOp : GradFn
{
    private int[] _inShape = [];
    private int _outH, _outW;

    public override string Name => "AdaptiveAvgPool2DBackward";

    public static Tensor Apply(Tensor x, int outH, int outW)
    {
        const string op = "AdaptiveAvgPool2d";
        PoolShape.CheckInput(x, op);
        if (outH < 1 || outW < 1)
            throw new ArgumentException($"{op}: output size must be at least 1x1, got {outH}x{outW}.");
        int h = x.ShapeArray[^2], w = x.ShapeArray[^1];
        if (h < 1 || w < 1)
            throw new ArgumentException($"{op}: input plane must be non-empty, got shape {ShapeUtil.Format(x.ShapeArray)}.");
        var (planes, outShape) = PoolShape.Of(x, op, outH, outW);
        var xc = x.Dense();
        var y = Tensor.Allocate(outShape, x.DType, false);
        if (x.DType == DType.Float32)
            Run<float>(xc.Span<float>(), y.Span<float>(), planes, h, w, outH, outW, backward: false);
        else
            Run<double>(xc.Span<double>(), y.Span<double>(), planes, h, w, outH, outW, backward: false);
        if (!ShouldRecord(x))
            return y;
        var fn = new AdaptiveAvgPool2dOp { _inShape = x.ShapeArray, _outH = outH, _outW = outW };
        return Record(fn, y, x);
    }

    // Forward: big [P, H, W] -> small [P, OutH, OutW] (written). Backward: small gradient -> big gradient (added).
    private static void Run<T>(Span<T> big, Span<T> small, int planes, int h, int w, int outH, int outW, bool backward)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < planes; p++)
        {
            Span<T> x = big.Slice(p * h * w, h * w);
            Span<T> y = small.Slice(p * outH * outW, outH * outW);
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = oh * h / outH, h1 = ((oh + 1) * h + outH - 1) / outH;
                for (int ow = 0; ow < outW; ow++)
                {
                    int w0 = ow * w / outW, w1 = ((ow + 1) * w + outW - 1) / outW;
                    T count = T.CreateTruncating((h1 - h0) * (w1 - w0));
                    if (backward)
                    {
                        T share = y[oh * outW + ow] / count;
                        for (int ih = h0; ih < h1; ih++)
                        {
                            Span<T> row = x.Slice(ih * w + w0, w1 - w0);
                            for (int k = 0; k < row.Length; k++)
                                row[k] += share;
                        }
                    }
                    else
                    {
                        T sum = T.Zero;
                        for (int ih = h0; ih < h1; ih++)
                            foreach (T v in x.Slice(ih * w + w0, w1 - w0))
                                sum += v;
                        y[oh * outW + ow] = sum / count;
                    }
                }
            }
        }
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var g = gradOutput.Dense();
        int planes = _inShape.Length == 4 ? _inShape[0] * _inShape[1] : _inShape[0];
        int h = _inShape[^2], w = _inShape[^1];
        var dx = Tensor.Allocate((int[])_inShape.Clone(), g.DType, true);
        // Run only reads the small side in backward mode, so the (read-only) gradient span is passed as-is.
        if (g.DType == DType.Float32)
            Run<float>(dx.Span<float>(), g.Span<float>(), planes, h, w, _outH, _outW, backward: true);
        else
            Run<double>(dx.Span<double>(), g.Span<double>(), planes, h, w, _outH, _outW, backward: true);
        return [dx];
    }
}
