using Dendrite.NN;

namespace Dendrite.Tracing;

/// <summary>
/// The ops' side of tracing: while an <see cref="OpTraceSession"/> is open on the current thread, every op reports
/// what it computed (its kind, inputs, outputs and attributes, as a <see cref="TracedOp"/>), creation functions report
/// the constants they make, and modules report which module is running. Exporters read the session afterwards to turn
/// one forward pass into a graph.
/// </summary>
/// <remarks>
/// Ops call <c>if (OpTrace.IsActive) OpTrace.Record(...)</c>: with no session open anywhere, the cost is one read of a
/// static field and an untaken branch (the check inlines; it reads no thread-local state), and nothing is allocated.
/// Sessions are per thread: while one is open, ops on other threads (data-loader workers) pass the check but are not
/// recorded. The record does not depend on the device: it holds the tensors, whose values stay where they are until an
/// exporter copies them.
/// </remarks>
internal static class OpTrace
{
    // Open sessions on all threads: the hot path reads only this field while it is 0.
    private static int s_open;

    [ThreadStatic]
    private static OpTraceSession? t_session;

    /// <summary>True when a session is open on any thread: ops should report (what another thread's ops report is dropped).</summary>
    public static bool IsActive => s_open != 0;

    /// <summary>True when a session is open on this thread, so that what ops report is recorded.</summary>
    public static bool IsRecording => Current is not null;

    /// <summary>The session open on this thread, or null.</summary>
    internal static OpTraceSession? Current => s_open != 0 ? t_session : null;

    /// <summary>
    /// Records that op <paramref name="kind"/> computed <paramref name="output"/> from <paramref name="inputs"/>
    /// (absent optional inputs as null) and returns the record, for the caller to add attributes with
    /// <see cref="TracedOp.With"/>. An op that returned one of its inputs unchanged computed nothing and is not recorded.
    /// </summary>
    public static TracedOp Record(string kind, Tensor output, params Tensor?[] inputs) => Record(kind, [output], inputs);

    /// <summary>Records an op with several outputs (values and indices); see <see cref="Record(string, Tensor, Tensor?[])"/>.</summary>
    public static TracedOp Record(string kind, Tensor[] outputs, params Tensor?[] inputs)
    {
        var session = Current;
        if (session is null)
            return TracedOp.Discarded;
        foreach (var o in outputs)
            foreach (var i in inputs)
                if (ReferenceEquals(o, i))
                    return TracedOp.Discarded;
        var op = new TracedOp(kind, inputs, outputs, session.CurrentModule);
        session.Add(op);
        return op;
    }

    /// <summary>
    /// Records a constant made by a creation function (<c>Full</c>, <c>Zeros</c>, <c>FromArray</c>, <c>Arange</c>,
    /// ...): an op of kind <see cref="TracedOp.ConstantKind"/> with no inputs, whose value is the tensor's.
    /// </summary>
    public static Tensor Constant(Tensor t)
    {
        Record(TracedOp.ConstantKind, t);
        return t;
    }

    /// <summary>Runs <paramref name="module"/>'s forward with the module as the innermost running one.</summary>
    public static Tensor Forward(Module module, Tensor input)
    {
        using (Enter(module))
            return module.Forward(input);
    }

    /// <summary>Marks <paramref name="module"/> as running until the returned scope is disposed (nothing when no session is open).</summary>
    public static ModuleScope Enter(Module module)
    {
        var session = Current;
        session?.Push(module);
        return new ModuleScope(session);
    }

    internal static void Open(OpTraceSession session)
    {
        if (t_session is not null)
            throw new InvalidOperationException("OpTrace: a trace session is already open on this thread; traces do not nest.");
        t_session = session;
        Interlocked.Increment(ref s_open);
    }

    internal static void Close(OpTraceSession session)
    {
        if (!ReferenceEquals(t_session, session))
            return;
        t_session = null;
        Interlocked.Decrement(ref s_open);
    }

    /// <summary>Ends a module's turn as the innermost running module.</summary>
    internal readonly struct ModuleScope(OpTraceSession? session) : IDisposable
    {
        public void Dispose() => session?.Pop();
    }
}
