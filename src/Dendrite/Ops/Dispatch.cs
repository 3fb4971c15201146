using Dendrite.Backends;

namespace Dendrite.Ops;

/// <summary>Shared forward plumbing for ops: device and dtype checks, promotion, dense inputs, broadcasting.</summary>
internal static class Dispatch
{
    /// <summary>The backend both operands live on; throws before any kernel runs when their devices differ.</summary>
    public static IBackend Backend(string op, Tensor a, Tensor b)
    {
        var backend = a.Storage.Backend;
        if (!ReferenceEquals(backend, b.Storage.Backend))
            ThrowDevices(op, a.Device, b.Device);
        return backend;
    }

    /// <summary>The backend all operands (nulls skipped) live on; throws before any kernel runs when their devices differ.</summary>
    public static IBackend Backend(string op, Tensor a, Tensor? b, Tensor? c)
    {
        var backend = a.Storage.Backend;
        if (b is not null && !ReferenceEquals(backend, b.Storage.Backend))
            ThrowDevices(op, a.Device, b.Device);
        if (c is not null && !ReferenceEquals(backend, c.Storage.Backend))
            ThrowDevices(op, a.Device, c.Device);
        return backend;
    }

    /// <summary>The backend all <paramref name="tensors"/> live on.</summary>
    public static IBackend Backend(string op, IReadOnlyList<Tensor> tensors)
    {
        var backend = tensors[0].Storage.Backend;
        for (int i = 1; i < tensors.Count; i++)
            if (!ReferenceEquals(backend, tensors[i].Storage.Backend))
                ThrowDevices(op, tensors[0].Device, tensors[i].Device);
        return backend;
    }

    /// <summary>
    /// Operands of an elementwise op brought to one device: as in PyTorch, a 0-d CPU tensor (a scalar) may take part in
    /// an op on another device and is copied there; any other mix of devices is an error.
    /// </summary>
    public static (Tensor A, Tensor B, IBackend Backend) SameDevice(string op, Tensor a, Tensor b)
    {
        var backend = a.Storage.Backend;
        if (ReferenceEquals(backend, b.Storage.Backend))
            return (a, b, backend);
        if (b.Rank == 0 && b.Device.IsCpu)
            return (a, ToDeviceOp.Copy(b, backend), backend);
        if (a.Rank == 0 && a.Device.IsCpu)
            return (ToDeviceOp.Copy(a, b.Storage.Backend), b, b.Storage.Backend);
        ThrowDevices(op, a.Device, b.Device);
        return default;
    }

    private static void ThrowDevices(string op, Device a, Device b) =>
        throw new ArgumentException($"{op}: expected all tensors to be on the same device, but found {a} and {b}.");

    /// <summary>Applies a unary kernel to a floating-point tensor, giving a new dense tensor.</summary>
    public static Tensor Unary(Tensor x, UnaryOp f, string op)
    {
        x.CheckFloating(op);
        var src = x.Dense();
        var y = Tensor.AllocateLike(x, x.DType, false);
        x.Backend.Unary(f, src.Raw, y.Raw);
        return y;
    }

    /// <summary>dx = g·f′ from the saved tensor (see <see cref="UnaryOp.SavesOutput"/>), in g's dtype.</summary>
    public static Tensor UnaryBackward(Tensor g, Tensor saved, UnaryOp f, string op)
    {
        var (dg, ds, dx) = DenseGradPair(g, saved, op);
        g.Backend.UnaryBackward(f, dg.Raw, ds.Raw, dx.Raw);
        return dx;
    }

    /// <summary>The floating dtype two operands compute in; integer/bool operands are promoted.</summary>
    public static DType FloatDType(Tensor a, Tensor b, string op)
    {
        var dt = DTypeExtensions.Promote(a.DType, b.DType);
        if (!dt.IsFloatingPoint())
            throw new ArgumentException($"{op}: arithmetic needs a floating-point operand, got {a.DType} and {b.DType}; convert with To(DType.Float32).");
        return dt;
    }

    /// <summary>Applies a broadcasting binary kernel, giving a new dense tensor of the broadcast shape.</summary>
    public static Tensor Binary(Tensor a, Tensor b, BinaryKind kind, string op)
    {
        var (da, db, backend) = SameDevice(op, a, b);
        var dt = FloatDType(da, db, op);
        if (da.DType != dt)
            da = da.Detach().To(dt);
        if (db.DType != dt)
            db = db.Detach().To(dt);
        var shape = ShapeUtil.Broadcast(da.ShapeArray, db.ShapeArray, op);
        var y = ReferenceEquals(shape, da.ShapeArray) ? Tensor.AllocateLike(da, dt, false) : Tensor.Allocate(shape, dt, false, backend);
        backend.Binary(kind, da.Raw, db.Raw, y.Raw);
        return y;
    }

    /// <summary>A 0-d tensor holding <paramref name="value"/> in <paramref name="like"/>'s dtype (floating types only) on its device.</summary>
    public static Tensor ScalarLike(Tensor like, double value)
    {
        var dt = like.DType.IsFloatingPoint() ? like.DType : DType.Float32;
        return Tensor.Scalar(value, dt, like.Backend);
    }

    /// <summary>Sums a broadcast gradient back to <paramref name="shape"/> (undoes broadcasting for binary-op backward).</summary>
    public static Tensor SumTo(Tensor grad, int[] shape)
    {
        var gs = grad.ShapeArray;
        if (ShapeUtil.SameShape(gs, shape))
            return grad;
        int lead = gs.Length - shape.Length;
        var dims = new List<int>();
        for (int i = 0; i < gs.Length; i++)
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1))
                dims.Add(i);
        var summed = dims.Count == 0 ? grad : SumOp.Apply(grad, dims.ToArray(), keepDim: true);
        return summed.Reshape(shape);
    }

    // A gradient and a same-shaped saved tensor as dense tensors in g's dtype, and a dense output of that shape.
    private static (Tensor G, Tensor Saved, Tensor Y) DenseGradPair(Tensor g, Tensor saved, string op)
    {
        if (!ShapeUtil.SameShape(g.ShapeArray, saved.ShapeArray))
            throw new ArgumentException($"{op}: operands must have the same shape, got {ShapeUtil.Format(g.ShapeArray)} and {ShapeUtil.Format(saved.ShapeArray)}.");
        g.CheckFloating(op);
        Backend(op, g, saved);
        var dg = g.Dense();
        var ds = (saved.DType != g.DType ? saved.To(g.DType) : saved).Dense();
        return (dg, ds, Tensor.AllocateLike(dg, g.DType, false));
    }
}
