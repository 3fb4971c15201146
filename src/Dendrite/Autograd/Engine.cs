namespace Dendrite.Autograd;

/// <summary>
/// Runs reverse-mode differentiation: an iterative topological walk of the graph (no recursion, so deep
/// graphs cannot overflow the stack), accumulating gradients on nodes and into leaves.
/// </summary>
internal static class Engine
{
    private static int _epoch;

    // Scratch collections reused by the next backward pass on this thread (a backward nested inside a hook finds
    // the slot empty and allocates its own), so a small graph's backward allocates almost nothing.
    [ThreadStatic]
    private static Scratch? t_scratch;

    // Callbacks queued (Autograd.QueueCallback) during the backward pass running on this thread, and how many passes
    // are running on it (a hook or callback may run a nested one).
    [ThreadStatic]
    private static List<Action>? t_callbacks;

    [ThreadStatic]
    private static int t_depth;

    private sealed class Scratch
    {
        public readonly Stack<GradFn> Ready = new();
        public readonly Stack<GradFn> Walk = new();
        public readonly Dictionary<Tensor, Tensor> LeafGrads = new(ReferenceEqualityComparer.Instance);
        public readonly Holds Holds = new();
        public readonly List<Tensor> Accumulated = [];
    }

    /// <summary>
    /// The leaf gradients <paramref name="node"/> may add its input gradients into directly (null entries, or null
    /// when there is none): a leaf input that already has a dense gradient of its own shape and dtype, no leaf hooks,
    /// and no other edge into it in this pass (its gradient is then exactly this node's contribution).
    /// </summary>
    private static Tensor?[]? OfferTargets(GradFn node, int mark, Scratch scratch)
    {
        Tensor?[]? targets = null;
        var inputs = node.Inputs;
        for (int i = 0; i < inputs.Length; i++)
        {
            var input = inputs[i];
            if (input is not { GradFn: null, RequiresGrad: true, LeafHooks: null, Grad: { } grad } || input.LeafMark != mark
                || input.LeafEdges != 1 || grad.DType != input.DType || !grad.IsContiguous
                || !ShapeUtil.SameShape(grad.ShapeArray, input.ShapeArray) || ReferenceEquals(grad.Storage, input.Storage))
                continue;
            (targets ??= new Tensor?[inputs.Length])[i] = grad;
        }
        return targets;
    }

    public static void Backward(Tensor root, Tensor? gradient, bool retainGraph) => Run(root, gradient, retainGraph, null);

    /// <summary>Runs backward from <paramref name="root"/>. With <paramref name="capture"/>, returns those tensors' gradients instead of accumulating into leaves.</summary>
    public static Tensor?[] Run(Tensor root, Tensor? gradient, bool retainGraph, IReadOnlyList<Tensor>? capture)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException("Backward: the tensor does not require grad and has no GradFn; nothing to differentiate (did you compute it under NoGrad, or forget RequiresGrad on the inputs?).");
        if (gradient is null)
        {
            if (root.Numel != 1)
                throw new InvalidOperationException($"Backward: a gradient can be created implicitly only for scalar outputs, but the output has shape {ShapeUtil.Format(root.ShapeArray)}. Pass Backward(gradient) with a tensor of that shape.");
            gradient = Tensor.OnesLike(root);
        }
        else
        {
            if (!ShapeUtil.SameShape(gradient.ShapeArray, root.ShapeArray))
                throw new ArgumentException($"Backward: the gradient has shape {ShapeUtil.Format(gradient.ShapeArray)} but the output has shape {ShapeUtil.Format(root.ShapeArray)}.");
            if (gradient.DType != root.DType)
                gradient = gradient.To(root.DType);
        }

        Tensor?[]? captured = capture is null ? null : new Tensor?[capture.Count];
        using var scope = new GradModeScope(false);
        var outerCallbacks = t_callbacks;
        t_callbacks = null;
        t_depth++;
        try
        {
            RunPass(root, gradient, retainGraph, capture, captured);
            RunCallbacks();
        }
        finally
        {
            t_callbacks = outerCallbacks;
            t_depth--;
        }
        return captured ?? [];
    }

    /// <summary>Queues a callback for the end of the running backward pass (see <see cref="Autograd.QueueCallback"/>).</summary>
    public static void QueueCallback(Action callback)
    {
        if (t_depth == 0)
            throw new InvalidOperationException("Autograd.QueueCallback: no backward pass is running on this thread; queue callbacks from a hook during Backward().");
        var queued = t_callbacks ??= [];
        if (!queued.Contains(callback))
            queued.Add(callback);
    }

    // The callbacks of this pass, including any they queue themselves.
    private static void RunCallbacks()
    {
        for (int i = 0; t_callbacks is { } queued && i < queued.Count; i++)
            queued[i]();
    }

    private static void RunPass(Tensor root, Tensor gradient, bool retainGraph, IReadOnlyList<Tensor>? capture, Tensor?[]? captured)
    {
        if (root.GradFn is null)
        {
            DeliverToLeaf(root, gradient, capture, captured);
            return;
        }

        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        try
        {
            RunGraph(root, gradient, retainGraph, capture, captured, scratch);
        }
        finally
        {
            scratch.Ready.Clear();
            scratch.Walk.Clear();
            scratch.LeafGrads.Clear();
            scratch.Accumulated.Clear();
            scratch.Holds.Reset();
            t_scratch = scratch;
        }
    }

    private static void RunGraph(Tensor root, Tensor gradient, bool retainGraph, IReadOnlyList<Tensor>? capture, Tensor?[]? captured, Scratch scratch)
    {
        int mark = Interlocked.Increment(ref _epoch);
        CountDependencies(root.GradFn!, mark, scratch.Walk);

        // Gradients reaching a leaf along several paths are summed first, so leaf hooks see (and may replace) the
        // total once, as in PyTorch, rather than each partial contribution.
        var leafGrads = scratch.LeafGrads;
        // Gradient buffers the engine creates are owned by it alone (unless a hook or RetainGrad sees them), so once
        // consumed they go back to their backend (the CPU backend pools them) for the next allocation of that size. Holds count the slots
        // (pending node gradients, leaf sums) that reference each storage; Autograd.Grad hands gradients to the
        // caller, so it recycles nothing.
        var holds = capture is null ? scratch.Holds : null;
        var ready = scratch.Ready;
        root.GradFn!.PendingGrad = gradient;
        ready.Push(root.GradFn);
        while (ready.Count > 0)
        {
            var node = ready.Pop();
            var grad = node.PendingGrad;
            node.PendingGrad = null;
            Tensor?[]? inputGrads = null;
            if (grad is not null)
            {
                node.ThrowIfReleased();
                if (node.OutputHooks is not null)
                    grad = ApplyHooks(node.OutputHooks, grad);
                if (node.RetainedOutput is { } retained)
                    retained.Grad = retained.Grad is null ? grad.Clone() : retained.Grad.Add(grad);
                if (capture is not null)
                    CaptureNonLeaf(node, grad, capture, captured!);
                node.AccumulateInto = holds is null ? null : OfferTargets(node, mark, scratch);
                try
                {
                    using (StorageRecycling.Open(active: holds is not null))
                        inputGrads = node.Backward(grad);
                }
                finally
                {
                    node.AccumulateInto = null;
                }
                if (!retainGraph)
                    node.Release();
            }

            var inputs = node.Inputs;
            for (int i = 0; i < inputs.Length; i++)
            {
                var input = inputs[i];
                if (input is null || !input.RequiresGrad)
                    continue;
                var g = inputGrads is not null && i < inputGrads.Length ? inputGrads[i] : null;
                if (ReferenceEquals(g, GradFn.Accumulated))
                {
                    // The node added this leaf's gradient into leaf.Grad itself; only its hooks are left to run.
                    input.Grad!.BumpVersion();
                    scratch.Accumulated.Add(input);
                    continue;
                }
                if (g is not null && !ShapeUtil.SameShape(g.ShapeArray, input.ShapeArray))
                    throw new InvalidOperationException($"{node.Name}: internal error: gradient for input {i} has shape {ShapeUtil.Format(g.ShapeArray)}, expected {ShapeUtil.Format(input.ShapeArray)}.");
                var next = input.GradFn;
                if (next is null)
                {
                    if (g is not null)
                    {
                        leafGrads[input] = leafGrads.TryGetValue(input, out var sum) ? Accumulate(holds, sum, g) : Hold(holds, g);
                    }
                    continue;
                }
                if (next.VisitMark != mark)
                    continue;
                if (g is not null)
                    next.PendingGrad = next.PendingGrad is null ? Hold(holds, g) : Accumulate(holds, next.PendingGrad, g);
                if (--next.Dependencies == 0)
                    ready.Push(next);
            }
            if (grad is not null && !ReferenceEquals(grad, gradient))
                holds?.Release(grad);
            holds?.Settle();
        }
        foreach (var (leaf, g) in leafGrads)
        {
            DeliverToLeaf(leaf, g, capture, captured);
            holds?.Release(g);
        }
        foreach (var leaf in scratch.Accumulated)
            if (leaf.PostAccumulateHooks is { } hooks)
                foreach (var hook in hooks)
                    hook(leaf);
        holds?.Settle();
    }

    private static Tensor Hold(Holds? holds, Tensor g)
    {
        holds?.Add(g);
        return g;
    }

    // Sums two gradients into a new buffer; the old sum and the addend are released.
    private static Tensor Accumulate(Holds? holds, Tensor sum, Tensor g)
    {
        Tensor total;
        using (StorageRecycling.Open(active: holds is not null))
            total = sum.Add(g);
        holds?.Add(total);
        holds?.Release(sum);
        holds?.Probe(g);
        return total;
    }

    /// <summary>
    /// Reference counts of engine-owned gradient storages during one backward pass. Releases and probes are
    /// deferred to <see cref="Settle"/>, after every gradient a node returned has taken its slot, because one
    /// buffer may reach several inputs (a sum passes its gradient to both operands).
    /// </summary>
    private sealed class Holds
    {
        // The count lives on the storage itself (engine-owned storages belong to this pass and this thread alone).
        private readonly List<Storage> _released = [];
        private readonly List<Storage> _probed = [];

        public void Add(Tensor t)
        {
            if (t.Storage.Recyclable)
                t.Storage.EngineHolds++;
        }

        public void Release(Tensor t)
        {
            if (t.Storage.Recyclable)
                _released.Add(t.Storage);
        }

        /// <summary>Marks a gradient that was only an addend: recycled at settling unless some slot holds it.</summary>
        public void Probe(Tensor t)
        {
            if (t.Storage.Recyclable)
                _probed.Add(t.Storage);
        }

        public void Settle()
        {
            foreach (var s in _released)
            {
                if (s.EngineHolds <= 0)
                    continue;
                if (--s.EngineHolds == 0)
                    Return(s);
            }
            foreach (var s in _probed)
                if (s.EngineHolds == 0)
                    Return(s);
            _released.Clear();
            _probed.Clear();
        }

        // Hands a dead engine-owned buffer back to its backend (once).
        private static void Return(Storage s)
        {
            if (!s.Recyclable)
                return;
            s.Recyclable = false;
            s.Backend.Recycle(s);
        }

        /// <summary>Forgets pending releases (after a pass that threw part-way).</summary>
        public void Reset()
        {
            _released.Clear();
            _probed.Clear();
        }
    }

    private static void CountDependencies(GradFn root, int mark, Stack<GradFn> stack)
    {
        root.VisitMark = mark;
        root.Dependencies = 0;
        root.PendingGrad = null;
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            foreach (var input in node.Inputs)
            {
                var next = input?.GradFn;
                if (input is { GradFn: null, RequiresGrad: true })
                {
                    // Edges into each leaf: a leaf reached once may take its gradient in place (OfferTargets).
                    if (input.LeafMark != mark)
                    {
                        input.LeafMark = mark;
                        input.LeafEdges = 0;
                    }
                    input.LeafEdges++;
                }
                if (next is null || !input!.RequiresGrad)
                    continue;
                if (next.VisitMark != mark)
                {
                    next.VisitMark = mark;
                    next.Dependencies = 0;
                    next.PendingGrad = null;
                    stack.Push(next);
                }
                next.Dependencies++;
            }
        }
    }

    private static Tensor ApplyHooks(IReadOnlyList<Func<Tensor, Tensor?>>? hooks, Tensor grad)
    {
        if (hooks is null)
            return grad;
        foreach (var hook in hooks)
        {
            grad.Storage.Recyclable = false;
            var replaced = hook(grad);
            if (replaced is not null)
            {
                replaced.Storage.Recyclable = false;
                if (!ShapeUtil.SameShape(replaced.ShapeArray, grad.ShapeArray))
                    throw new InvalidOperationException($"RegisterHook: a hook returned a gradient of shape {ShapeUtil.Format(replaced.ShapeArray)}, expected {ShapeUtil.Format(grad.ShapeArray)}.");
                grad = replaced;
            }
        }
        return grad;
    }

    private static void DeliverToLeaf(Tensor leaf, Tensor grad, IReadOnlyList<Tensor>? capture, Tensor?[]? captured)
    {
        grad = ApplyHooks(leaf.LeafHooks, grad);
        if (capture is not null)
        {
            for (int i = 0; i < capture.Count; i++)
                if (ReferenceEquals(capture[i], leaf))
                    captured![i] = captured[i] is null ? grad : captured[i]!.Add(grad);
            return;
        }
        if (grad.DType != leaf.DType)
            grad = grad.To(leaf.DType);
        if (leaf.Grad is null)
            leaf.Grad = grad.Clone();
        else
            leaf.Grad.AddInPlace(grad);
        if (leaf.PostAccumulateHooks is { } hooks)
            foreach (var hook in hooks)
                hook(leaf);
    }

    private static void CaptureNonLeaf(GradFn node, Tensor grad, IReadOnlyList<Tensor> capture, Tensor?[] captured)
    {
        for (int i = 0; i < capture.Count; i++)
            if (ReferenceEquals(capture[i].GradFn, node))
                captured[i] = captured[i] is null ? grad : captured[i]!.Add(grad);
    }
}
