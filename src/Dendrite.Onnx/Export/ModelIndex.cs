using Dendrite.NN;
using Dendrite.Tracing;

namespace Dendrite.Onnx.Export;

/// <summary>
/// The exported module's names: the dotted path of every submodule (for messages) and of every parameter and buffer
/// (for initializers), and how to phrase where an op ran.
/// </summary>
internal sealed class ModelIndex
{
    private readonly Dictionary<Module, string> _modules = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, string> _state = new(ReferenceEqualityComparer.Instance);

    public ModelIndex(Module root)
    {
        foreach (var (name, m) in root.NamedModules())
            _modules.TryAdd(m, name);
        foreach (var (name, t) in root.NamedParameters())
            _state.TryAdd(t, name);
        foreach (var (name, t) in root.NamedBuffers())
            _state.TryAdd(t, name);
    }

    /// <summary>The parameter or buffer name of <paramref name="t"/>, or null when it is neither.</summary>
    public string? StateName(Tensor t) => _state.GetValueOrDefault(t);

    /// <summary>The parameters and buffers with their names.</summary>
    public IEnumerable<KeyValuePair<Tensor, string>> State => _state;

    /// <summary>The dotted path of the module <paramref name="op"/> ran in ("" for the root), or null when unknown.</summary>
    public string? PathOf(TracedOp op) => op.Module is { } m && _modules.TryGetValue(m, out var p) ? p : null;

    /// <summary>Where an op ran, for messages: <c>in module '3' (Linear)</c>.</summary>
    public string Where(TracedOp op) => op.Module switch
    {
        null => "outside any module",
        var m when _modules.TryGetValue(m, out var p) => p.Length == 0 ? $"in the exported module ({m.GetType().Name})" : $"in module '{p}' ({m.GetType().Name})",
        var m => $"in a {m.GetType().Name} that is not a submodule of the exported module",
    };

    /// <summary>An export error about <paramref name="op"/>, naming it and where it ran.</summary>
    public OnnxExportException Fail(TracedOp op, string problem) =>
        new($"Onnx.Export: {op.Kind} {Where(op)}: {problem}", op.Kind, PathOf(op));
}
