using System.Numerics;
using System.Numerics.Tensors;
using Dendrite.Autograd;
using Dendrite.Backends.Cpu;
using Dendrite.Ops;

namespace Dendrite;

/// <summary>
/// In-place updates for optimizers and initializers. They refuse to run on a tensor autograd needs (a leaf that
/// requires grad while grad mode is on, or a graph node), and bump the storage version so a tensor saved for
/// backward that changes is reported instead of silently giving wrong gradients.
/// </summary>
public sealed partial class Tensor
{
    private void CheckInPlace(string op)
    {
        if (!RequiresGrad || !GradMode.IsEnabled)
            return;
        if (IsLeaf)
            throw new InvalidOperationException($"{op}: a leaf tensor that requires grad (shape {ShapeUtil.Format(ShapeArray)}) is being used in an in-place operation; do the update inside 'using (Autograd.NoGrad())', or Detach() first.");
        throw new InvalidOperationException($"{op}: in-place operations on a tensor that is part of the autograd graph ({GradFn!.Name}) are not supported; use the out-of-place version.");
    }

    /// <summary>this += alpha·other (other broadcasts to this tensor's shape).</summary>
    public Tensor AddInPlace(Tensor other, double alpha = 1) => ApplyInPlace<AddOp>(alpha == 1 ? other : other.Detach().Mul(alpha), "AddInPlace");

    /// <summary>this += scalar.</summary>
    public Tensor AddInPlace(double scalar) => ApplyInPlace<AddOp>(Dispatch.ScalarLike(this, scalar), "AddInPlace");

    /// <summary>this −= other.</summary>
    public Tensor SubInPlace(Tensor other) => ApplyInPlace<SubOp>(other, "SubInPlace");

    /// <summary>this ·= other elementwise.</summary>
    public Tensor MulInPlace(Tensor other) => ApplyInPlace<MulOp>(other, "MulInPlace");

    /// <summary>this ·= scalar.</summary>
    public Tensor MulInPlace(double scalar) => ApplyInPlace<MulOp>(Dispatch.ScalarLike(this, scalar), "MulInPlace");

    /// <summary>this /= other elementwise.</summary>
    public Tensor DivInPlace(Tensor other) => ApplyInPlace<DivOp>(other, "DivInPlace");

    /// <summary>this /= scalar.</summary>
    public Tensor DivInPlace(double scalar) => ApplyInPlace<DivOp>(Dispatch.ScalarLike(this, scalar), "DivInPlace");

    /// <summary>this = max(this, other) elementwise.</summary>
    public Tensor MaximumInPlace(Tensor other) => ApplyInPlace<MaxOp>(other, "MaximumInPlace");

    /// <summary>this += value·t1·t2 (like <c>addcmul_</c>).</summary>
    public Tensor AddcmulInPlace(Tensor t1, Tensor t2, double value = 1)
    {
        using var _ = Autograd.Autograd.NoGrad();
        return AddInPlace(t1.Mul(t2), value);
    }

    /// <summary>this += value·t1/t2 (like <c>addcdiv_</c>).</summary>
    public Tensor AddcdivInPlace(Tensor t1, Tensor t2, double value = 1)
    {
        using var _ = Autograd.Autograd.NoGrad();
        return AddInPlace(t1.Div(t2), value);
    }

    /// <summary>Clamps in place into [min, max].</summary>
    public Tensor ClampInPlace(double? min = null, double? max = null)
    {
        CheckInPlace("ClampInPlace");
        using var _ = Autograd.Autograd.NoGrad();
        CopyFromUnchecked(Clamp(min, max));
        return this;
    }

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public Tensor Fill(double value)
    {
        CheckInPlace("Fill");
        FillUnchecked(value);
        BumpVersion();
        return this;
    }

    /// <summary>Sets every element to zero.</summary>
    public Tensor Zero() => Fill(0);

    /// <summary>Copies <paramref name="src"/> (broadcast to this shape, converted to this dtype) into this tensor.</summary>
    public Tensor CopyFrom(Tensor src)
    {
        CheckInPlace("CopyFrom");
        CopyFromUnchecked(src);
        return this;
    }

    internal void CopyFromUnchecked(Tensor src)
    {
        var shape = ShapeUtil.Broadcast(ShapeArray, src.ShapeArray, "CopyFrom");
        if (!ShapeUtil.SameShape(shape, ShapeArray))
            throw new ArgumentException($"CopyFrom: source of shape {ShapeUtil.Format(src.ShapeArray)} cannot be broadcast to the destination shape {ShapeUtil.Format(ShapeArray)}.");
        var s = src.Detach().To(DType);
        if (!ShapeUtil.SameShape(s.ShapeArray, ShapeArray))
            s = s.Expand(ShapeArray);
        if (ReferenceEquals(s.Storage, Storage))
            s = s.CopyDense();
        ScatterFrom(s);
        BumpVersion();
    }

    /// <summary>Writes the elements of same-shaped <paramref name="src"/> (same dtype) into this (possibly strided) tensor.</summary>
    private void ScatterFrom(Tensor src)
    {
        switch (DType)
        {
            case DType.Float32: ScatterFrom<float>(src); break;
            case DType.Float64: ScatterFrom<double>(src); break;
            case DType.Int64: ScatterFrom<long>(src); break;
            default: ScatterFrom<bool>(src); break;
        }
    }

    private void ScatterFrom<T>(Tensor src) where T : unmanaged
    {
        if (IsContiguous && src.IsContiguous)
        {
            src.Span<T>().CopyTo(Span<T>());
            return;
        }
        var dense = src.IsContiguous ? src.Span<T>() : src.CopyDense().Span<T>();
        Strided.Scatter<T>(dense, Array<T>(), Offset, ShapeArray, StrideArray);
    }

    private Tensor ApplyInPlace<TK>(Tensor other, string op) where TK : IBinaryOp
    {
        CheckInPlace(op);
        CheckFloating(op);
        var shape = ShapeUtil.Broadcast(ShapeArray, other.ShapeArray, op);
        if (!ShapeUtil.SameShape(shape, ShapeArray))
            throw new ArgumentException($"{op}: the result of shape {ShapeUtil.Format(shape)} does not fit the destination of shape {ShapeUtil.Format(ShapeArray)} (the other operand {ShapeUtil.Format(other.ShapeArray)} must broadcast to it).");
        var o = other.DType == DType ? other : other.Detach().To(DType);
        // An operand overlapping this tensor in any other layout would be read after being overwritten.
        bool sameView = o.Offset == Offset && ShapeUtil.SameShape(o.ShapeArray, ShapeArray) && o.StrideArray.AsSpan().SequenceEqual(StrideArray);
        if (ReferenceEquals(o.Storage, Storage) && !sameView)
            o = o.CopyDense();
        if (IsContiguous)
        {
            if (DType == DType.Float32)
                RunInPlace<TK, float>(o);
            else
                RunInPlace<TK, double>(o);
        }
        else
        {
            Tensor result;
            using (Autograd.Autograd.NoGrad())
                result = Dispatch.Binary<TK>(Detach(), o, op);
            ScatterFrom(result);
        }
        BumpVersion();
        return this;
    }

    // this = op(this, o) over this dense tensor; o is dense, a scalar, or broadcast with stride-0 dims.
    private void RunInPlace<TK, T>(Tensor o) where TK : IBinaryOp where T : unmanaged, IFloatingPointIeee754<T>
    {
        var y = Span<T>();
        if (o.IsContiguous && o.Numel == Numel)
            TK.Run<T>(y, o.Span<T>(), y);
        else if (o.Numel == 1)
            TK.RunScalarB(y, o.Array<T>()[o.OffsetOf(new int[o.Rank])], y);
        else
            BinaryKernel.Run<TK, T>(ShapeArray, Array<T>(), Offset, ShapeUtil.BroadcastStrides(ShapeArray, StrideArray, ShapeArray),
                o.Array<T>(), o.Offset, ShapeUtil.BroadcastStrides(o.ShapeArray, o.StrideArray, ShapeArray), y);
    }
}
