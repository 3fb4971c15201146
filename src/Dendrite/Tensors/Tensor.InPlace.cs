using Dendrite.Autograd;
using Dendrite.Backends;
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
    public Tensor AddInPlace(Tensor other, double alpha = 1) => ApplyInPlace(BinaryKind.Add, alpha == 1 ? other : other.Detach().Mul(alpha), "AddInPlace");

    /// <summary>this += scalar.</summary>
    public Tensor AddInPlace(double scalar) => ApplyInPlace(BinaryKind.Add, Dispatch.ScalarLike(this, scalar), "AddInPlace");

    /// <summary>this −= other.</summary>
    public Tensor SubInPlace(Tensor other) => ApplyInPlace(BinaryKind.Sub, other, "SubInPlace");

    /// <summary>this ·= other elementwise.</summary>
    public Tensor MulInPlace(Tensor other) => ApplyInPlace(BinaryKind.Mul, other, "MulInPlace");

    /// <summary>this ·= scalar.</summary>
    public Tensor MulInPlace(double scalar) => ApplyInPlace(BinaryKind.Mul, Dispatch.ScalarLike(this, scalar), "MulInPlace");

    /// <summary>this /= other elementwise.</summary>
    public Tensor DivInPlace(Tensor other) => ApplyInPlace(BinaryKind.Div, other, "DivInPlace");

    /// <summary>this /= scalar.</summary>
    public Tensor DivInPlace(double scalar) => ApplyInPlace(BinaryKind.Div, Dispatch.ScalarLike(this, scalar), "DivInPlace");

    /// <summary>this = max(this, other) elementwise.</summary>
    public Tensor MaximumInPlace(Tensor other) => ApplyInPlace(BinaryKind.Maximum, other, "MaximumInPlace");

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
        var s = src.Detach();
        if (!ReferenceEquals(s.Backend, Backend))
            s = ToDeviceOp.Copy(s, Backend);
        s = s.To(DType);
        if (!ShapeUtil.SameShape(s.ShapeArray, ShapeArray))
            s = s.Expand(ShapeArray);
        if (ReferenceEquals(s.Storage, Storage))
            s = s.CopyDense();
        Backend.Copy(s.Raw, Raw);
        BumpVersion();
    }

    private Tensor ApplyInPlace(BinaryKind kind, Tensor other, string op)
    {
        CheckInPlace(op);
        CheckFloating(op);
        var shape = ShapeUtil.Broadcast(ShapeArray, other.ShapeArray, op);
        if (!ShapeUtil.SameShape(shape, ShapeArray))
            throw new ArgumentException($"{op}: the result of shape {ShapeUtil.Format(shape)} does not fit the destination of shape {ShapeUtil.Format(ShapeArray)} (the other operand {ShapeUtil.Format(other.ShapeArray)} must broadcast to it).");
        var (_, o, backend) = Dispatch.SameDevice(op, this, other);
        if (o.DType != DType)
            o = o.Detach().To(DType);
        // An operand overlapping this tensor in any other layout would be read after being overwritten.
        bool sameView = o.Offset == Offset && ShapeUtil.SameShape(o.ShapeArray, ShapeArray) && o.StrideArray.AsSpan().SequenceEqual(StrideArray);
        if (ReferenceEquals(o.Storage, Storage) && !sameView)
            o = o.CopyDense();
        if (IsContiguous)
            backend.Binary(kind, Raw, o.Raw, Raw);
        else
        {
            Tensor result;
            using (Autograd.Autograd.NoGrad())
                result = Dispatch.Binary(Detach(), o, kind, op);
            backend.Copy(result.Raw, Raw);
        }
        BumpVersion();
        return this;
    }
}
