using Dendrite.NN;

namespace Dendrite.Onnx;

/// <summary><see cref="Onnx.Export"/> as a method of the module: <c>model.ExportOnnx(x, "model.onnx")</c>.</summary>
public static class OnnxModuleExtensions
{
    /// <summary>Exports the module to an ONNX file; see <see cref="Onnx.Export"/>.</summary>
    /// <param name="module">The model.</param>
    /// <param name="sampleInput">An input of the shape and dtype the model takes.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="opset">The ai.onnx operator set version, <see cref="Onnx.MinOpset"/> to <see cref="Onnx.MaxOpset"/>.</param>
    /// <param name="dynamicBatch">Make dim 0 of the input the symbolic <c>batch</c>; false fixes the sample's batch size.</param>
    public static OnnxModelInfo ExportOnnx(this Module module, Tensor sampleInput, string path, int opset = Onnx.MinOpset, bool dynamicBatch = true) =>
        Onnx.Export(module, sampleInput, path, opset, dynamicBatch);
}
