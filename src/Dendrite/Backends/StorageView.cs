using System.Runtime.CompilerServices;

namespace Dendrite.Backends;

/// <summary>
/// What a backend kernel sees of a tensor: its storage and layout (shape, strides in elements, offset), never the
/// tensor itself or its autograd state. Kernels that need dense operands say so; ops pass dense views there.
/// </summary>
internal readonly struct StorageView
{
    public readonly Storage Storage;
    public readonly int[] Shape;
    public readonly int[] Strides;
    public readonly int Offset;
    public readonly int Numel;
    public readonly bool IsContiguous;

    public StorageView(Storage storage, int[] shape, int[] strides, int offset, int numel, bool contiguous)
    {
        Storage = storage;
        Shape = shape;
        Strides = strides;
        Offset = offset;
        Numel = numel;
        IsContiguous = contiguous;
    }

    /// <summary>A view of <paramref name="storage"/> with an explicit layout.</summary>
    public StorageView(Storage storage, int[] shape, int[] strides, int offset)
        : this(storage, shape, strides, offset, ShapeUtil.Numel(shape), ShapeUtil.IsContiguous(shape, strides))
    {
    }

    /// <summary>A dense row-major view of <paramref name="shape"/> starting at <paramref name="offset"/>.</summary>
    public static StorageView Dense(Storage storage, int[] shape, int offset = 0) =>
        new(storage, shape, ShapeUtil.ContiguousStrides(shape), offset, ShapeUtil.Numel(shape), true);

    /// <summary>The element type.</summary>
    public DType DType => Storage.DType;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>This view with its dims laid over <paramref name="target"/>'s shape (stride 0 where broadcast).</summary>
    public StorageView BroadcastTo(int[] target)
    {
        if (ShapeUtil.SameShape(Shape, target))
            return this;
        return new StorageView(Storage, target, ShapeUtil.BroadcastStrides(Shape, Strides, target), Offset);
    }

    /// <summary>The same layout over a flat 1-D range: only for contiguous views.</summary>
    public StorageView Flat()
    {
        if (!IsContiguous)
            ThrowNotContiguous();
        return new StorageView(Storage, [Numel], [1], Offset, Numel, true);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static void ThrowNotContiguous() => throw new InvalidOperationException("internal: a dense view was required but the view is strided");

    public override string ToString() => $"{Storage.Device} {DType} {ShapeUtil.Format(Shape)} strides {ShapeUtil.Format(Strides)} at {Offset}";
}
