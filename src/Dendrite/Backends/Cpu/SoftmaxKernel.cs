using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// Numerically stable softmax, log-softmax and log-sum-exp over the middle axis of a dense [outer, r, inner] layout,
/// with their backward formulas. Every row subtracts its maximum before exponentiating, so large logits cannot
/// overflow. The inner == 1 case (the last dim) runs vectorized over whole rows.
/// </summary>
internal static class SoftmaxKernel
{
    /// <summary>y = softmax(x) (or log_softmax when <paramref name="log"/>) over r.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, int outer, int r, int inner, Span<T> y, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (r == 0)
            return;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var row = x.Slice(o * r, r);
                var dst = y.Slice(o * r, r);
                T m = SafeMax(TensorPrimitives.Max(row));
                TensorPrimitives.Subtract(row, m, dst);
                TensorPrimitives.Exp(dst, dst);
                T s = TensorPrimitives.Sum<T>(dst);
                if (log)
                    TensorPrimitives.Subtract(row, m + T.Log(s), dst);
                else
                    TensorPrimitives.Multiply(dst, T.One / s, dst);
            }
            return;
        }
        var max = new T[inner];
        var sum = new T[inner];
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * r * inner, r * inner);
            var dst = y.Slice(o * r * inner, r * inner);
            ColumnMax(block, r, inner, max);
            sum.AsSpan().Clear();
            for (int k = 0; k < r; k++)
            {
                var d = dst.Slice(k * inner, inner);
                TensorPrimitives.Subtract(block.Slice(k * inner, inner), max, d);
                TensorPrimitives.Exp(d, d);
                TensorPrimitives.Add(sum, d, sum);
            }
            if (log)
            {
                // log_softmax = x − (max + log Σ)
                TensorPrimitives.Log(sum, sum);
                TensorPrimitives.Add(sum, max, sum);
                for (int k = 0; k < r; k++)
                    TensorPrimitives.Subtract(block.Slice(k * inner, inner), sum, dst.Slice(k * inner, inner));
            }
            else
            {
                TensorPrimitives.Reciprocal(sum, sum);
                for (int k = 0; k < r; k++)
                    TensorPrimitives.Multiply(dst.Slice(k * inner, inner), sum, dst.Slice(k * inner, inner));
            }
        }
    }

    /// <summary>
    /// Input gradient from the output y and its gradient g: softmax gx = y·(g − Σ g·y); log_softmax gx = g − eʸ·Σ g.
    /// </summary>
    public static void Backward<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> y, int outer, int r, int inner, Span<T> gx, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (r == 0)
            return;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var gr = g.Slice(o * r, r);
                var yr = y.Slice(o * r, r);
                var dst = gx.Slice(o * r, r);
                if (log)
                {
                    T s = TensorPrimitives.Sum(gr);
                    TensorPrimitives.Exp(yr, dst);
                    TensorPrimitives.Multiply(dst, s, dst);
                    TensorPrimitives.Subtract(gr, dst, dst);
                }
                else
                {
                    T dot = TensorPrimitives.Dot(gr, yr);
                    TensorPrimitives.Subtract(gr, dot, dst);
                    TensorPrimitives.Multiply(dst, yr, dst);
                }
            }
            return;
        }
        var acc = new T[inner];
        for (int o = 0; o < outer; o++)
        {
            int b = o * r * inner;
            acc.AsSpan().Clear();
            for (int k = 0; k < r; k++)
            {
                var gk = g.Slice(b + k * inner, inner);
                if (log)
                    TensorPrimitives.Add(acc, gk, acc);
                else
                    TensorPrimitives.MultiplyAdd(gk, y.Slice(b + k * inner, inner), acc, acc);
            }
            for (int k = 0; k < r; k++)
            {
                var gk = g.Slice(b + k * inner, inner);
                var yk = y.Slice(b + k * inner, inner);
                var dst = gx.Slice(b + k * inner, inner);
                if (log)
                {
                    TensorPrimitives.Exp(yk, dst);
                    TensorPrimitives.Multiply(dst, acc, dst);
                    TensorPrimitives.Subtract(gk, dst, dst);
                }
                else
                {
                    TensorPrimitives.Subtract(gk, acc, dst);
                    TensorPrimitives.Multiply(dst, yk, dst);
                }
            }
        }
    }

    /// <summary>out[o, i] = log Σ_r exp(x[o, r, i]), computed as max + log Σ exp(x − max).</summary>
    public static void LogSumExp<T>(ReadOnlySpan<T> x, int outer, int r, int inner, Span<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (r == 0)
        {
            result.Fill(T.NegativeInfinity);
            return;
        }
        if (inner == 1)
        {
            var buf = r <= 256 ? stackalloc T[r] : new T[r];
            for (int o = 0; o < outer; o++)
            {
                var row = x.Slice(o * r, r);
                T m = SafeMax(TensorPrimitives.Max(row));
                TensorPrimitives.Subtract(row, m, buf);
                TensorPrimitives.Exp(buf, buf);
                result[o] = m + T.Log(TensorPrimitives.Sum<T>(buf));
            }
            return;
        }
        var max = new T[inner];
        var tmp = new T[inner];
        for (int o = 0; o < outer; o++)
        {
            var block = x.Slice(o * r * inner, r * inner);
            var sum = result.Slice(o * inner, inner);
            ColumnMax(block, r, inner, max);
            sum.Clear();
            for (int k = 0; k < r; k++)
            {
                TensorPrimitives.Subtract(block.Slice(k * inner, inner), max, tmp);
                TensorPrimitives.Exp(tmp, tmp);
                TensorPrimitives.Add(sum, tmp, sum);
            }
            TensorPrimitives.Log(sum, sum);
            TensorPrimitives.Add(sum, max, sum);
        }
    }

    /// <summary>max[i] = max_k block[k, i], with infinite maxima replaced by 0 (see <see cref="SafeMax"/>).</summary>
    private static void ColumnMax<T>(ReadOnlySpan<T> block, int r, int inner, Span<T> max)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        block[..inner].CopyTo(max);
        for (int k = 1; k < r; k++)
            TensorPrimitives.Max(max, block.Slice(k * inner, inner), max);
        for (int i = 0; i < inner; i++)
            max[i] = SafeMax(max[i]);
    }

    // Shifting by an infinite maximum would turn every x − max into NaN or −∞ − (−∞); shifting by 0 instead keeps
    // all-(−∞) rows at −∞ for log-sum-exp, and the shift cancels mathematically either way.
    private static T SafeMax<T>(T m) where T : unmanaged, IFloatingPointIeee754<T> => T.IsInfinity(m) ? T.Zero : m;
}
