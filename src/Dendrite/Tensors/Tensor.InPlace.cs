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
        if (IsContiguous && o.IsContiguous && !ReferenceEquals(o.Storage, Storage) || (IsContiguous && o.IsContiguous && o.Offset == Offset))
        {
            if (o.Numel == Numel)
            {
                if (DType == DType.Float32) TK.Run<float>(Span<float>(), o.Span<float>(), Span<float>());
                else TK.Run<double>(Span<double>(), o.Span<double>(), Span<double>());
                BumpVersion();
                return this;
            }
            if (o.Numel == 1)
            {
                if (DType == DType.Float32) TK.RunScalarB(Span<float>(), o.Array<float>()[o.Offset], Span<float>());
                else TK.RunScalarB(Span<double>(), o.Array<double>()[o.Offset], Span<double>());
                BumpVersion();
                return this;
            }
        }
        Tensor result;
        using (Autograd.Autograd.NoGrad())
            result = Dispatch.Binary<TK>(Detach(), o, op);
        ScatterFrom(result);
        BumpVersion();
        return this;
    }
}
