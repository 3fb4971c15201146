using Dendrite.NN;

namespace Dendrite.Tracing;

/// <summary>
/// The ops recorded on one thread between <see cref="Start"/> and <see cref="Dispose"/>, in the order they ran (so
/// every op comes after the ops that produced its inputs). Several ops may report the same output tensor (an op built
/// from others reports after them): the last report describes it.
/// </summary>
internal sealed class OpTraceSession : IDisposable
{
    private readonly List<TracedOp> _ops = [];
    private readonly List<Module> _modules = [];
    private bool _closed;

    private OpTraceSession()
    {
    }

    /// <summary>Opens a session on the current thread; ops run on it are recorded until it is disposed.</summary>
    public static OpTraceSession Start()
    {
        var session = new OpTraceSession();
        OpTrace.Open(session);
        return session;
    }

    /// <summary>The recorded ops, in the order they ran.</summary>
    public IReadOnlyList<TracedOp> Ops => _ops;

    /// <summary>The innermost module running now, or null outside every module.</summary>
    public Module? CurrentModule => _modules.Count == 0 ? null : _modules[^1];

    internal void Add(TracedOp op) => _ops.Add(op);

    internal void Push(Module module) => _modules.Add(module);

    internal void Pop()
    {
        if (_modules.Count > 0)
            _modules.RemoveAt(_modules.Count - 1);
    }

    /// <summary>Stops recording.</summary>
    public void Dispose()
    {
        if (_closed)
            return;
        _closed = true;
        OpTrace.Close(this);
    }
}
