using System.Numerics.Tensors;
using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>Dtype conversion; between float types the gradient converts back.</summary>
internal sealed class ConvertOp : GradFn
{
    private DType _from;

    public override string Name => "ToCopyBackward";

    public static Tensor Apply(Tensor x, DType dtype)
    {
        var src = x.IsContiguous ? x : x.CopyDense();
        var y = Tensor.AllocateLike(x, dtype, false);
        Convert(src, y);
        if (ShouldRecord(x) && dtype.IsFloatingPoint())
            return Record(new ConvertOp { _from = x.DType }, y, x);
        return y;
    }

    protected internal override Tensor?[] Backward(Tensor g) => [g.To(_from)];

    private static void Convert(Tensor src, Tensor dst)
    {
        switch (src.DType, dst.DType)
        {
            case (DType.Float32, DType.Float64): TensorPrimitives.ConvertTruncating<float, double>(src.Span<float>(), dst.Span<double>()); break;
            case (DType.Float64, DType.Float32): TensorPrimitives.ConvertTruncating<double, float>(src.Span<double>(), dst.Span<float>()); break;
            default:
                // Rare conversions (integers, bools): an elementwise loop through double is exact for |v| < 2^53.
                var s = src;
                int n = s.Numel;
                for (int i = 0; i < n; i++)
                    dst.SetFlat(i, s.GetFlat(i));
                break;
        }
    }
}
