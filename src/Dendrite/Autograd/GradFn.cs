namespace Dendrite.Autograd;

/// <summary>
/// A node of the autograd graph: the backward of one recorded operation. Each op subclasses it next to
/// its forward, saves what its backward needs, and returns one gradient per input.
/// </summary>
public abstract class GradFn
{
    private Tensor?[] _inputs = [];
    private (Tensor Tensor, int Version)[]? _saved;
    private List<Func<Tensor, Tensor?>>? _outputHooks;

    // Engine scratch state, kept on the node so a backward pass allocates no dictionaries.
    internal Tensor? PendingGrad;
    internal int Dependencies;
    internal int VisitMark;

    /// <summary>The op name shown in errors and in <see cref="Tensor.ToString"/>, e.g. <c>MulBackward</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True after a backward pass without <c>retainGraph</c> freed this node's saved tensors.</summary>
    public bool Released { get; private set; }

    internal Tensor? RetainedOutput { get; set; }

    internal IReadOnlyList<Func<Tensor, Tensor?>>? OutputHooks => _outputHooks;

    internal Tensor?[] Inputs => _inputs;

    /// <summary>Given the gradient of the output, returns the gradient of each input (null where not needed).</summary>
    protected internal abstract Tensor?[] Backward(Tensor gradOutput);

    // Set by the engine around Backward: per input, a leaf's existing gradient that this node may add its result to
    // in place (see AccumulationTarget).
    internal Tensor?[]? AccumulateInto;

    /// <summary>
    /// Returned in place of an input's gradient by a node that added it into
    /// <see cref="AccumulationTarget"/> itself.
    /// </summary>
    internal static readonly Tensor Accumulated = Tensor.Wrap(Array.Empty<float>(), 0);

    /// <summary>
    /// The leaf gradient (dense, same shape and dtype as input <paramref name="i"/>) that this node may add input
    /// <paramref name="i"/>'s gradient into directly, returning <see cref="Accumulated"/> for it, or null when the
    /// engine offers none: the input is not a leaf, has no gradient yet, has hooks, or gets gradient from elsewhere too.
    /// Sparing the separate gradient buffer and the pass that adds it matters for large weights (a Linear(784, 256)).
    /// </summary>
    protected Tensor? AccumulationTarget(int i) => AccumulateInto is { } t && i < t.Length ? t[i] : null;

    /// <summary>True when input <paramref name="i"/> needs a gradient.</summary>
    protected bool NeedsGrad(int i) => _inputs[i] is { RequiresGrad: true };

    /// <summary>Saves tensors for backward, remembering their versions so in-place changes are caught.</summary>
    protected void Save(params Tensor[] tensors)
    {
        var saved = new (Tensor, int)[tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
            saved[i] = (tensors[i], tensors[i].Storage.Version);
        _saved = saved;
    }

    /// <summary>Returns saved tensor <paramref name="i"/>, failing if it was modified in place since it was saved.</summary>
    protected Tensor Saved(int i)
    {
        if (_saved is null)
            throw new InvalidOperationException($"{Name}: trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call Backward(). Specify retainGraph: true if you need to backward through the graph a second time.");
        var (t, v) = _saved[i];
        if (t.Storage.Version != v)
            throw new InvalidOperationException($"{Name}: one of the tensors needed for gradient computation has been modified by an in-place operation (shape {ShapeUtil.Format(t.ShapeArray)}, version {t.Storage.Version}, expected version {v}).");
        return t;
    }

    /// <summary>Connects an op's output to this node and its inputs; called by <see cref="Record"/>.</summary>
    internal void Attach(Tensor output, Tensor?[] inputs)
    {
        _inputs = inputs;
        output.SetGradFn(this);
    }

    internal void AddOutputHook(Func<Tensor, Tensor?> hook) => (_outputHooks ??= []).Add(hook);

    internal void Release()
    {
        _saved = null;
        Released = true;
        ReleaseState();
    }

    /// <summary>Frees op-specific saved state beyond <see cref="Save"/> (fields a subclass keeps).</summary>
    protected virtual void ReleaseState()
    {
    }

    internal void ThrowIfReleased()
    {
        if (Released)
            throw new InvalidOperationException($"{Name}: trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call Backward(). Specify retainGraph: true if you need to backward through the graph a second time.");
    }

    /// <summary>True when grad mode is on and any input requires a gradient: the op should record a node.</summary>
    internal static bool ShouldRecord(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    internal static bool ShouldRecord(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    internal static bool ShouldRecord(Tensor a, Tensor b, Tensor? c) => (a.RequiresGrad || b.RequiresGrad || (c?.RequiresGrad ?? false)) && GradMode.IsEnabled;

    internal static bool ShouldRecord(ReadOnlySpan<Tensor> xs)
    {
        if (!GradMode.IsEnabled)
            return false;
        foreach (var x in xs)
            if (x.RequiresGrad)
                return true;
        return false;
    }

    /// <summary>Records <paramref name="fn"/> as the producer of <paramref name="output"/> and returns the output.</summary>
    internal static Tensor Record(GradFn fn, Tensor output, params Tensor?[] inputs)
    {
        fn.Attach(output, inputs);
        return output;
    }
}
