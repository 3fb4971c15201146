using System.Runtime.CompilerServices;
using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Backends.Cpu;
using Dendrite.Tracing;

namespace Dendrite;

/// <summary>
/// An N-dimensional array of <see cref="DType"/> elements with a shape, strides and an offset into
/// shared storage, and the autograd state (<see cref="RequiresGrad"/>, <see cref="Grad"/>, <see cref="GradFn"/>).
/// Views (<see cref="Reshape"/>, <see cref="Transpose"/>, slicing, ...) share storage with their base.
/// </summary>
public sealed partial class Tensor
{
    // Storage, strides and offset change only when Module.To moves a parameter's data to another device in place.
    internal Storage Storage;
    internal int Offset;
    internal readonly int[] ShapeArray;
    internal int[] StrideArray;
    private bool _contiguous;
    private bool _requiresGrad;
    private List<Func<Tensor, Tensor?>>? _leafHooks;
    private List<Action<Tensor>>? _postAccumulateHooks;

    internal Tensor(Storage storage, int[] shape, int[] strides, int offset)
    {
        Storage = storage;
        ShapeArray = shape;
        StrideArray = strides;
        Offset = offset;
        Numel = ShapeUtil.Numel(shape);
        _contiguous = ShapeUtil.IsContiguous(shape, strides);
    }

    internal Tensor(Storage storage, int[] shape)
        : this(storage, shape, ShapeUtil.ContiguousStrides(shape), 0)
    {
    }

    /// <summary>The element type.</summary>
    public DType DType => Storage.DType;

    /// <summary>The device that holds the elements and runs this tensor's ops (like <c>tensor.device</c>).</summary>
    public Device Device => Storage.Backend.Device;

    /// <summary>The backend of this tensor's device.</summary>
    internal IBackend Backend => Storage.Backend;

    /// <summary>The storage and layout, as kernels see them.</summary>
    internal StorageView Raw => new(Storage, ShapeArray, StrideArray, Offset, Numel, _contiguous);

    /// <summary>The size of each dimension, read-only; prints as <c>[2, 3]</c>.</summary>
    public IReadOnlyList<int> Shape => _shapeView ??= new ShapeView(ShapeArray);

    /// <summary>The stride of each dimension, in elements; prints as <c>[3, 1]</c>.</summary>
    public IReadOnlyList<int> Strides => _stridesView ??= new ShapeView(StrideArray);

    private ShapeView? _shapeView, _stridesView;

    /// <summary>Number of dimensions (<c>dim()</c> in PyTorch).</summary>
    public int Rank => ShapeArray.Length;

    /// <summary>Number of elements.</summary>
    public int Numel { get; }

    /// <summary>Offset of the first element in the underlying storage.</summary>
    public int StorageOffset => Offset;

    /// <summary>True when elements are laid out densely in row-major order.</summary>
    public bool IsContiguous => _contiguous;

    /// <summary>The size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Size(int dim) => ShapeArray[ShapeUtil.NormalizeDim(dim, Rank, "Size")];

    /// <summary>
    /// Whether autograd records operations on this tensor. Only floating-point leaf tensors may be set.
    /// </summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (value && !DType.IsFloatingPoint())
                throw new InvalidOperationException($"RequiresGrad: only floating-point tensors can require gradients, but this tensor is {DType}.");
            if (GradFn is not null)
                throw new InvalidOperationException("RequiresGrad: you can only change the flag of leaf tensors; this tensor was computed by " + GradFn.Name + ". Use Detach() to get a leaf.");
            _requiresGrad = value;
        }
    }

    /// <summary>The gradient accumulated by <see cref="Backward(bool)"/> (leaves only), or null.</summary>
    public Tensor? Grad { get; set; }

    /// <summary>The autograd node that computed this tensor, or null for a leaf.</summary>
    public GradFn? GradFn { get; private set; }

    /// <summary>True for tensors not produced by a recorded operation (user-created, or parameters).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>An optional name, used when printing parameters.</summary>
    public string? Name { get; set; }

    internal List<Func<Tensor, Tensor?>>? LeafHooks => _leafHooks;

    internal List<Action<Tensor>>? PostAccumulateHooks => _postAccumulateHooks;

    // Engine scratch for leaves: how many graph edges reach this leaf in the pass numbered LeafMark.
    internal int LeafMark;
    internal int LeafEdges;

    /// <summary>Marks this tensor as produced by <paramref name="fn"/> (called by ops when recording).</summary>
    internal void SetGradFn(GradFn fn)
    {
        GradFn = fn;
        _requiresGrad = true;
    }

    /// <summary>
    /// Registers a hook called with the gradient of this tensor during backward. The hook may return a
    /// replacement gradient, or null to keep the gradient unchanged.
    /// </summary>
    public void RegisterHook(Func<Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!RequiresGrad)
            throw new InvalidOperationException("RegisterHook: cannot register a hook on a tensor that does not require gradients.");
        if (GradFn is not null)
            GradFn.AddOutputHook(hook);
        else
            (_leafHooks ??= []).Add(hook);
    }

    /// <summary>
    /// Registers a hook called with this leaf tensor each time a backward pass has accumulated a gradient into its
    /// <see cref="Grad"/> (PyTorch's <c>register_post_accumulate_grad_hook</c>); not called by
    /// <see cref="Autograd.Autograd.Grad"/>, which leaves <see cref="Grad"/> alone.
    /// </summary>
    public void RegisterPostAccumulateGradHook(Action<Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (GradFn is not null)
            throw new InvalidOperationException("RegisterPostAccumulateGradHook: only leaf tensors accumulate gradients; this tensor was computed by " + GradFn.Name + ".");
        if (!RequiresGrad)
            throw new InvalidOperationException("RegisterPostAccumulateGradHook: cannot register a hook on a tensor that does not require gradients.");
        (_postAccumulateHooks ??= []).Add(hook);
    }

    /// <summary>Keeps the gradient of this non-leaf tensor in <see cref="Grad"/> after backward (like <c>retain_grad()</c>).</summary>
    public void RetainGrad()
    {
        if (GradFn is null)
            return;
        GradFn.RetainedOutput = this;
    }

    /// <summary>Computes gradients of this scalar with respect to graph leaves (<c>loss.backward()</c>).</summary>
    public void Backward(bool retainGraph = false) => Engine.Backward(this, null, retainGraph);

    /// <summary>Computes gradients seeded with <paramref name="gradient"/>, which has this tensor's shape.</summary>
    public void Backward(Tensor gradient, bool retainGraph = false) => Engine.Backward(this, gradient, retainGraph);

    /// <summary>A tensor sharing storage with this one but cut off from the autograd graph.</summary>
    public Tensor Detach()
    {
        var t = new Tensor(Storage, ShapeArray, StrideArray, Offset);
        if (OpTrace.IsActive)
            OpTrace.Record("Detach", t, this);
        return t;
    }

    /// <summary>
    /// The same elements cut off from autograd (PyTorch's <c>.data</c>): a detached view sharing storage, so in-place
    /// updates through it (<c>w.Data.Normal_(0, 0.01)</c>, <c>w.Data.SubInPlace(lr * w.Grad)</c>) change this tensor
    /// without being recorded or refused. Setting it makes this tensor use the given tensor's elements (shared, not
    /// copied; same shape and dtype), like <c>w.data = t</c>.
    /// </summary>
    public Tensor Data
    {
        get => Detach();
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.DType != DType)
                throw new ArgumentException($"Data: the new elements are {value.DType} but the tensor is {DType}; convert them with To({DType}) first.");
            if (!ShapeUtil.SameShape(value.ShapeArray, ShapeArray))
                throw new ArgumentException($"Data: the new elements have shape {ShapeUtil.Format(value.ShapeArray)}, but the tensor has shape {ShapeUtil.Format(ShapeArray)}.");
            SetData(value);
        }
    }

    /// <summary>Detaches in place: drops the graph link and stops requiring gradients.</summary>
    public Tensor Detach_()
    {
        GradFn = null;
        _requiresGrad = false;
        return this;
    }

    // ---- raw element access (host memory only) ----

    /// <summary>Replaces this tensor's data with <paramref name="source"/>'s (same shape), keeping the object: how
    /// <c>Module.To</c> moves parameters and buffers so that optimizers holding them keep working.</summary>
    internal void SetData(Tensor source)
    {
        if (!ShapeUtil.SameShape(source.ShapeArray, ShapeArray))
            throw new ArgumentException($"SetData: the new data has shape {ShapeUtil.Format(source.ShapeArray)}, but the tensor has shape {ShapeUtil.Format(ShapeArray)}.");
        Storage = source.Storage;
        StrideArray = source.StrideArray;
        _stridesView = null;
        Offset = source.Offset;
        _contiguous = source._contiguous;
    }

    /// <summary>Storage offset of the element at a multi-index.</summary>
    internal int OffsetOf(ReadOnlySpan<int> index)
    {
        int o = Offset;
        for (int i = 0; i < index.Length; i++)
            o += index[i] * StrideArray[i];
        return o;
    }

    internal void BumpVersion() => Storage.Version++;

    internal void CheckDType(DType expected, string op)
    {
        if (DType != expected)
            throw new ArgumentException($"{op}: expected a {expected} tensor, got {DType}.");
    }

    internal void CheckFloating(string op)
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: expected a floating-point tensor (Float32 or Float64), got {DType}.");
    }

    /// <summary>Prints like PyTorch: <c>tensor([[1.0000, 2.0000]], requiresGrad=True)</c>.</summary>
    public override string ToString() => TensorFormatter.Format(this);
}
