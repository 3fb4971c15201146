using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>
/// Batched matrix product of operands with rank ≥ 2 ([..., m, k]·[..., k, n]) with broadcast batch dims.
/// Backward: dA = g·Bᵀ, dB = Aᵀ·g, summed back over broadcast batch dims. 1-D cases are handled by
/// <see cref="Tensor.MatMul"/> with unsqueeze/squeeze around this op.
/// </summary>
internal sealed class MatMulOp : GradFn
{
    public override string Name => "MatMulBackward";

    public static Tensor Apply(Tensor a, Tensor b)
    {
        Dispatch.Backend("MatMul", a, b);
        var dt = Dispatch.FloatDType(a, b, "MatMul");
        if (a.DType != dt) a = a.To(dt);
        if (b.DType != dt) b = b.To(dt);
        int ra = a.Rank, rb = b.Rank;
        int m = a.ShapeArray[ra - 2], k = a.ShapeArray[ra - 1];
        int k2 = b.ShapeArray[rb - 2], n = b.ShapeArray[rb - 1];
        if (k != k2)
            throw new ArgumentException($"MatMul: cannot multiply {ShapeUtil.Format(a.ShapeArray)} by {ShapeUtil.Format(b.ShapeArray)}: inner dimensions {k} and {k2} differ.");
        var batchA = a.ShapeArray[..^2];
        var batchB = b.ShapeArray[..^2];
        int[] batch;
        try
        {
            batch = ShapeUtil.Broadcast(batchA, batchB, "MatMul");
        }
        catch (ArgumentException)
        {
            throw new ArgumentException($"MatMul: batch dimensions of {ShapeUtil.Format(a.ShapeArray)} and {ShapeUtil.Format(b.ShapeArray)} cannot be broadcast together.");
        }
        var outShape = new int[batch.Length + 2];
        batch.CopyTo(outShape, 0);
        outShape[^2] = m;
        outShape[^1] = n;
        var backend = Dispatch.Backend("MatMul", a, b);
        var y = Tensor.Allocate(outShape, dt, k == 0, backend);
        if (k > 0)
        {
            int batchCount = ShapeUtil.Numel(batch);
            var aStr = ShapeUtil.BroadcastStrides(batchA, a.StrideArray[..^2], batch);
            var bStr = ShapeUtil.BroadcastStrides(batchB, b.StrideArray[..^2], batch);
            Span<int> idx = stackalloc int[Math.Max(batch.Length, 1)];
            int oa = a.Offset, ob = b.Offset;
            for (int i = 0; i < batchCount; i++)
            {
                backend.Gemm(new MatrixOperand(a.Storage, oa, a.StrideArray[ra - 2], a.StrideArray[ra - 1]),
                    new MatrixOperand(b.Storage, ob, b.StrideArray[rb - 2], b.StrideArray[rb - 1]), m, k, n, y.Storage, i * m * n, 0);
                for (int d = batch.Length - 1; d >= 0; d--)
                {
                    oa += aStr[d];
                    ob += bStr[d];
                    if (++idx[d] < batch[d])
                        break;
                    oa -= aStr[d] * batch[d];
                    ob -= bStr[d] * batch[d];
                    idx[d] = 0;
                }
            }
        }
        if (OpTrace.IsActive)
            OpTrace.Record("MatMul", y, a, b);
        if (!ShouldRecord(a, b))
            return y;
        var fn = new MatMulOp();
        fn.Save(a, b);
        return Record(fn, y, a, b);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var a = Saved(0);
        var b = Saved(1);
        Tensor? ga = NeedsGrad(0) ? Dispatch.SumTo(Apply(g, b.Transpose(-1, -2)), a.ShapeArray) : null;
        Tensor? gb = NeedsGrad(1) ? Dispatch.SumTo(Apply(a.Transpose(-1, -2), g), b.ShapeArray) : null;
        return [ga, gb];
    }
}
