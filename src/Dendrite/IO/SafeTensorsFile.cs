namespace Dendrite.IO;

/// <summary>The contents of a safetensors file: named tensors and the free-form string metadata.</summary>
public sealed record SafeTensorsFile(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
