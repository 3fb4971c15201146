using Dendrite.IO;
using Dendrite.NN;
using Dendrite.Onnx.Export;
using Dendrite.Onnx.Proto;
using Dendrite.Tracing;
using Google.Protobuf;

namespace Dendrite.Onnx;

/// <summary>
/// Writes Dendrite models as ONNX files, to run them with ONNX Runtime (<c>Microsoft.ML.OnnxRuntime</c>) or any other
/// ONNX tool, like <c>torch.onnx.export</c>: the module runs once in evaluation mode on a sample input, the ops that
/// produced its output are recorded (on whatever device the module is on), and each becomes one or more ONNX nodes.
/// </summary>
/// <remarks>
/// <para>The graph has one input, <c>input</c>, of the sample's element type and shape, and one output, <c>output</c>.
/// Parameters and buffers become initializers under their <see cref="Module.NamedParameters"/> names (float32 raw data
/// for float32 tensors, copied to the host from any device). Inside a <see cref="Sequential"/>, the fused
/// Conv2d → ReLU → MaxPool2d layer is written as its three ONNX ops; BatchNorm uses its running statistics and Dropout
/// disappears, as in evaluation.</para>
/// <para>With <c>dynamicBatch</c> (the default) the first dimension of the input is the symbolic <c>batch</c>: the
/// module runs a second time on a batch one larger, and every size that changes with it is written so that the graph
/// follows the batch (a Flatten's reshape becomes [-1, C·H·W]); an op whose other settings or constants change with the
/// batch, or a computation that depends on the input's values (a Python-style <c>if</c> on a tensor), fails the
/// export.</para>
/// <para>An op without an ONNX mapping, random numbers drawn in Forward, an unregistered tensor, or an in-place write to
/// a value the graph uses fail with an <see cref="OnnxExportException"/> naming the op and its module: an export never
/// writes a model that loads but computes something else.</para>
/// </remarks>
public static class Onnx
{
    /// <summary>The oldest ai.onnx operator set <see cref="Export"/> writes (LayerNormalization appeared in 17).</summary>
    public const int MinOpset = 17;

    /// <summary>The newest ai.onnx operator set <see cref="Export"/> writes.</summary>
    public const int MaxOpset = 21;

    /// <summary>
    /// Exports <paramref name="module"/> as run on <paramref name="sampleInput"/> to the ONNX file
    /// <paramref name="path"/> (written atomically; folders are created). The module's training flags are restored
    /// afterwards; the sample is moved to the module's device.
    /// </summary>
    /// <param name="module">The model; it runs in evaluation mode during the export.</param>
    /// <param name="sampleInput">An input of the shape and dtype the model takes, e.g. [1, 784]; its values only steer the trace.</param>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="opset">The ai.onnx operator set version, <see cref="MinOpset"/> to <see cref="MaxOpset"/>.</param>
    /// <param name="dynamicBatch">Make dim 0 of the input (and of every size that follows it) the symbolic <c>batch</c>; false fixes the sample's batch size.</param>
    /// <returns>What was written: the graph's input and output, its nodes and initializers, the file size.</returns>
    /// <exception cref="OnnxExportException">The model computes something an ONNX graph cannot (the message names the op and module).</exception>
    public static OnnxModelInfo Export(Module module, Tensor sampleInput, string path, int opset = MinOpset, bool dynamicBatch = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(sampleInput);
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
            throw new ArgumentException("Onnx.Export: path is empty; give the .onnx file to write.", nameof(path));
        var model = ToModel(module, sampleInput, opset, dynamicBatch);
        string full = Path.GetFullPath(path);
        AtomicFile.Write(full, model.WriteTo);
        return Describe(model, full, new FileInfo(full).Length);
    }

    /// <summary>The ONNX model of <paramref name="module"/> run on <paramref name="sampleInput"/> (see <see cref="Export"/>).</summary>
    internal static ModelProto ToModel(Module module, Tensor sampleInput, int opset, bool dynamicBatch)
    {
        if (opset < MinOpset || opset > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), opset, $"Onnx.Export: opset {opset} is not supported; use {MinOpset} to {MaxOpset}.");
        if (dynamicBatch && sampleInput.Rank == 0)
            throw new ArgumentException("Onnx.Export: dynamicBatch makes dim 0 of the input the batch, but the sample input is 0-d; give it a batch " +
                                        "dimension or pass dynamicBatch: false.", nameof(sampleInput));
        if (dynamicBatch && sampleInput.ShapeArray[0] == 0)
            throw new ArgumentException($"Onnx.Export: the sample input of shape {ShapeUtil.Format(sampleInput.ShapeArray)} holds no sample; give it at least one.", nameof(sampleInput));
        var index = new ModelIndex(module);
        var device = module.Parameters().Any() || module.Buffers().Any() ? module.Device : sampleInput.Device;
        Tensor first;
        using (Autograd.Autograd.NoGrad())
            first = sampleInput.Detach().To(device);
        var trace = Trace(module, first, index);
        ForwardTrace? twin = null;
        if (dynamicBatch)
        {
            // The same rows in reverse order and the first once more: another batch size, and other values in each row
            // position, so sizes and values that follow the batch or the data show up as differences.
            int n = first.ShapeArray[0];
            var order = new long[n + 1];
            for (int i = 0; i < n; i++)
                order[i] = n - 1 - i;
            Tensor second;
            using (Autograd.Autograd.NoGrad())
                second = first.IndexSelect(0, Tensor.FromArray(order, [n + 1], device));
            twin = Trace(module, second, index);
        }
        return GraphBuilder.Build(trace, twin, index, opset, module.GetType().Name);
    }

    // One forward pass in evaluation mode under a trace session; the training flags are restored afterwards.
    private static ForwardTrace Trace(Module module, Tensor input, ModelIndex index)
    {
        var modes = module.NamedModules().Select(m => (m.Module, m.Module.IsTraining)).ToList();
        module.Eval();
        try
        {
            // Autograd stays on and the input requires a gradient, so a result of an op without trace support carries
            // that op's autograd node, which names it in the error.
            var x = input.Detach();
            if (x.DType.IsFloatingPoint())
                x.RequiresGrad = true;
            Tensor y;
            OpTraceSession session;
            using (Autograd.Autograd.EnableGrad())
            using (session = OpTraceSession.Start())
                y = OpTrace.Forward(module, x);
            return ForwardTrace.Build(session.Ops, x, y, index);
        }
        finally
        {
            // Parents first: each Train call also sets the subtree, which the later calls for its members correct.
            foreach (var (m, training) in modes)
                m.Train(training);
        }
    }

    /// <summary>A summary of <paramref name="model"/>.</summary>
    internal static OnnxModelInfo Describe(ModelProto model, string path, long bytes)
    {
        var g = model.Graph;
        return new OnnxModelInfo(path, (int)model.OpsetImport[0].Version, Value(g.Input[0]), Value(g.Output[0]),
            g.Node.Select(n => n.OpType).ToList(), g.Initializer.Count, bytes);
    }

    private static OnnxValueInfo Value(ValueInfoProto v)
    {
        var t = v.Type.TensorType;
        string type = (TensorProto.Types.DataType)t.ElemType switch
        {
            TensorProto.Types.DataType.Float => "float",
            TensorProto.Types.DataType.Double => "double",
            TensorProto.Types.DataType.Int64 => "int64",
            _ => "bool",
        };
        return new OnnxValueInfo(v.Name, type, t.Shape.Dim.Select(d => d.HasDimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
    }
}
