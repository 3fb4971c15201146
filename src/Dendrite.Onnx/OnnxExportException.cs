namespace Dendrite.Onnx;

/// <summary>
/// A model that cannot be written as ONNX that computes what it computes in Dendrite: an op without an ONNX mapping,
/// a tensor the trace cannot account for (random numbers drawn in <c>Forward</c>, an unregistered tensor, an op without
/// trace support), an in-place write, or a computation that changes with the batch size under
/// <c>dynamicBatch</c>. The message names the op and the module it ran in.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OnnxExportException(string message, string? op = null, string? modulePath = null)
        : base(message)
    {
        Op = op;
        ModulePath = modulePath;
    }

    /// <summary>The op at fault (Dendrite's name, e.g. <c>Var</c>), when there is one.</summary>
    public string? Op { get; }

    /// <summary>The dotted path of the module it ran in (<c>""</c> for the exported module itself), when known.</summary>
    public string? ModulePath { get; }
}
