using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Layer normalization over the trailing D = Π normalizedShape elements of each row (biased variance), fused
/// with the elementwise affine γ, β of shape normalizedShape.
/// Backward per row, with ĝ = g·γ: dx = σ⁻¹/D·(D·ĝ − Σĝ − x̂·Σ(ĝ·x̂)); dγ = Σ_rows g·x̂, dβ = Σ_rows g.
/// </summary>
internal sealed class LayerNormOp : GradFn
{
    private double[] _mean = [];
    private double[] _invStd = [];
    private int _d;

    public override string Name => "NativeLayerNormBackward";

    public static Tensor Apply(Tensor x, int[] normalizedShape, Tensor? weight, Tensor? bias, double eps)
    {
        const string op = "LayerNorm";
        ArgumentNullException.ThrowIfNull(normalizedShape);
        x.CheckFloating(op);
        int k = normalizedShape.Length;
        bool matches = k >= 1 && k <= x.Rank;
        for (int i = 0; matches && i < k; i++)
            matches = x.ShapeArray[x.Rank - k + i] == normalizedShape[i];
        if (!matches)
            throw new ArgumentException($"{op}: normalized shape {ShapeUtil.Format(normalizedShape)} must be non-empty and match the trailing dimensions of input {ShapeUtil.Format(x.ShapeArray)}.");
        foreach (var (t, what) in new[] { (weight, "weight"), (bias, "bias") })
        {
            if (t is null)
                continue;
            if (!ShapeUtil.SameShape(t.ShapeArray, normalizedShape))
                throw new ArgumentException($"{op}: {what} must have the normalized shape {ShapeUtil.Format(normalizedShape)}, got {ShapeUtil.Format(t.ShapeArray)}.");
            if (t.DType != x.DType)
                throw new ArgumentException($"{op}: input is {x.DType} but {what} is {t.DType}; convert them to one dtype.");
        }
        if (!(eps >= 0))
            throw new ArgumentException($"{op}: eps must be non-negative, got {eps}.");
        int d = ShapeUtil.Numel(normalizedShape);
        int rows = d == 0 ? 0 : x.Numel / d;
        var xc = x.Dense();
        var wc = weight?.Dense();
        var bc = bias?.Dense();
        var y = Tensor.AllocateLike(x, x.DType, false);
        var mean = new double[rows];
        var invStd = new double[rows];
        if (x.DType == DType.Float32)
            Forward<float>(xc.Span<float>(), wc is null ? default : wc.Span<float>(), bc is null ? default : bc.Span<float>(),
                y.Span<float>(), rows, d, eps, mean, invStd);
        else
            Forward<double>(xc.Span<double>(), wc is null ? default : wc.Span<double>(), bc is null ? default : bc.Span<double>(),
                y.Span<double>(), rows, d, eps, mean, invStd);
        if (!ShouldRecord(x, weight ?? x, bias))
            return y;
        var fn = new LayerNormOp { _mean = mean, _invStd = invStd, _d = d };
        if (wc is null)
            fn.Save(xc);
        else
            fn.Save(xc, wc);
        return Record(fn, y, x, weight, bias);
    }

    private static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, Span<T> y, int rows, int d,
        double eps, double[] mean, double[] invStd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateTruncating(d);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<T> xr = x.Slice(r * d, d);
            Span<T> yr = y.Slice(r * d, d);
            T mu = TensorPrimitives.Sum(xr) / count;
            T variance = NNKernels.SumSquaredDeviation(xr, mu) / count;
            T inv = T.One / T.Sqrt(variance + T.CreateTruncating(eps));
            mean[r] = double.CreateTruncating(mu);
            invStd[r] = double.CreateTruncating(inv);
            // x̂ = x·σ⁻¹ − μ·σ⁻¹, then y = x̂·γ + β
            NNKernels.Affine(xr, inv, -mu * inv, yr);
            if (!gamma.IsEmpty)
                TensorPrimitives.Multiply(yr, gamma, yr);
            if (!beta.IsEmpty)
                TensorPrimitives.Add(yr, beta, yr);
        }
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        Tensor? w = Inputs[1] is not null ? Saved(1) : null;
        var g = gradOutput.Dense();
        int d = _d;
        int rows = _mean.Length;
        Tensor? dx = NeedsGrad(0) ? Tensor.AllocateLike(x, x.DType, false) : null;
        Tensor? dw = NeedsGrad(1) ? Tensor.AllocateLike(w!, x.DType, true) : null;
        Tensor? db = NeedsGrad(2) ? Tensor.AllocateLike(Inputs[2]!, x.DType, true) : null;
        if (x.DType == DType.Float32)
            BackwardCore<float>(x.Span<float>(), g.Span<float>(), w is null ? default : w.Span<float>(),
                dx is null ? default : dx.Span<float>(), dw is null ? default : dw.Span<float>(), db is null ? default : db.Span<float>(),
                dx is not null, rows, d);
        else
            BackwardCore<double>(x.Span<double>(), g.Span<double>(), w is null ? default : w.Span<double>(),
                dx is null ? default : dx.Span<double>(), dw is null ? default : dw.Span<double>(), db is null ? default : db.Span<double>(),
                dx is not null, rows, d);
        return [dx, dw, db];
    }

    private void BackwardCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, ReadOnlySpan<T> gamma, Span<T> dx, Span<T> dw, Span<T> db,
        bool needDx, int rows, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] buffer = ArrayPool<T>.Shared.Rent(2 * d);
        try
        {
            Span<T> xhat = buffer.AsSpan(0, d), gg = buffer.AsSpan(d, d);
            T count = T.CreateTruncating(d);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<T> xr = x.Slice(r * d, d), gr = g.Slice(r * d, d);
                T inv = T.CreateTruncating(_invStd[r]), mu = T.CreateTruncating(_mean[r]);
                NNKernels.Affine(xr, inv, -mu * inv, xhat);
                if (!dw.IsEmpty)
                    TensorPrimitives.MultiplyAdd(gr, xhat, dw, dw);
                if (!db.IsEmpty)
                    TensorPrimitives.Add(db, gr, db);
                if (!needDx)
                    continue;
                if (gamma.IsEmpty)
                    gr.CopyTo(gg);
                else
                    TensorPrimitives.Multiply(gr, gamma, gg);
                T meanG = TensorPrimitives.Sum(gg) / count;
                T meanGx = TensorPrimitives.Dot(gg, xhat) / count;
                // dx = σ⁻¹·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))
                Span<T> dr = dx.Slice(r * d, d);
                NNKernels.Affine(xhat, -meanGx, -meanG, dr);
                TensorPrimitives.Add(dr, gg, dr);
                TensorPrimitives.Multiply(dr, inv, dr);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    protected override void ReleaseState()
    {
        _mean = [];
        _invStd = [];
    }
}
