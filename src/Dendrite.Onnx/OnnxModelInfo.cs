namespace Dendrite.Onnx;

/// <summary>A graph input or output of an exported model: its name, element type and dimensions.</summary>
/// <param name="Name">The value's name in the graph (<c>input</c>, <c>output</c>).</param>
/// <param name="ElementType">The ONNX element type: <c>float</c>, <c>double</c>, <c>int64</c> or <c>bool</c>.</param>
/// <param name="Dims">Each dimension: a size, or a symbolic name (<c>batch</c>) for one that may vary.</param>
public sealed record OnnxValueInfo(string Name, string ElementType, IReadOnlyList<string> Dims)
{
    /// <summary>As <c>input: float [batch, 784]</c>.</summary>
    public override string ToString() => $"{Name}: {ElementType} [{string.Join(", ", Dims)}]";
}

/// <summary>What <see cref="Onnx.Export"/> wrote.</summary>
/// <param name="Path">The full path of the .onnx file.</param>
/// <param name="Opset">The ai.onnx operator set version the graph uses.</param>
/// <param name="Input">The graph input.</param>
/// <param name="Output">The graph output.</param>
/// <param name="Nodes">The ONNX op type of each node, in graph order.</param>
/// <param name="Initializers">The number of constant tensors (parameters, buffers and constants).</param>
/// <param name="Bytes">The file's size in bytes.</param>
public sealed record OnnxModelInfo(string Path, int Opset, OnnxValueInfo Input, OnnxValueInfo Output, IReadOnlyList<string> Nodes, int Initializers, long Bytes);
