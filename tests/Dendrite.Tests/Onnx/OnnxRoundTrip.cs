using Dendrite.NN;
using Dendrite.Onnx;
using Dendrite.Tests.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OnnxExporter = Dendrite.Onnx.Onnx;

namespace Dendrite.Tests.Onnx;

/// <summary>
/// Exports a module, loads the file in ONNX Runtime with graph optimizations off and fully on, runs it on random
/// inputs of several batch sizes, and compares with Dendrite's own forward pass in evaluation mode:
/// max |ONNX − Dendrite| ≤ 1e-5 · max |Dendrite| (the output's scale, at least 1e-2).
/// </summary>
internal static class OnnxRoundTrip
{
    public const double Tolerance = 1e-5;

    /// <summary>
    /// Exports <paramref name="model"/> traced on an input of <paramref name="sampleShape"/> and checks ONNX Runtime's
    /// outputs for inputs of <paramref name="sampleShape"/> with dim 0 replaced by each of <paramref name="batches"/>
    /// (the sample's own batch only when the export is static). Returns what the export wrote.
    /// </summary>
    public static OnnxModelInfo Check(Module model, int[] sampleShape, int[]? batches = null, int opset = 17, bool dynamicBatch = true,
        Func<int[], Generator, Tensor>? makeInput = null, Device? device = null)
    {
        makeInput ??= (shape, g) => Tensor.RandN(shape, g);
        device ??= Device.Cpu;
        var gen = new Generator(1234);
        using var dir = new TempDir();
        string path = dir.File("model.onnx");
        var info = OnnxExporter.Export(model, makeInput(sampleShape, gen).To(device), path, opset, dynamicBatch);
        var sizes = dynamicBatch ? batches ?? [3, 7] : [sampleShape[0]];
        var inputs = sizes.Select(b => { var s = (int[])sampleShape.Clone(); if (s.Length > 0) s[0] = b; return makeInput(s, gen); }).ToList();
        var expected = inputs.Select(x => Forward(model, x.To(device))).ToList();
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            using var options = new SessionOptions { GraphOptimizationLevel = level };
            using var session = new InferenceSession(path, options);
            for (int i = 0; i < inputs.Count; i++)
            {
                var actual = Run(session, inputs[i]);
                AssertClose(expected[i], actual, $"{level}, input {Shape(inputs[i].ShapeArray)}");
            }
        }
        return info;
    }

    /// <summary>Dendrite's output in evaluation mode, without gradients, as doubles with its shape.</summary>
    public static (double[] Values, int[] Shape) Forward(Module model, Tensor x)
    {
        bool training = model.IsTraining;
        model.Eval();
        try
        {
            using (Autograd.Autograd.NoGrad())
            {
                var y = model.Call(x);
                return (y.To(DType.Float64).ToArray<double>(), y.ShapeArray);
            }
        }
        finally
        {
            model.Train(training);
        }
    }

    /// <summary>ONNX Runtime's output for <paramref name="x"/> (the graph's input "input"), as doubles with its shape.</summary>
    public static (double[] Values, int[] Shape) Run(InferenceSession session, Tensor x)
    {
        using var input = ToOrt(x);
        using var outputs = session.Run(new RunOptions(), ["input"], [input], ["output"]);
        var o = outputs[0];
        var info = o.GetTensorTypeAndShape();
        var shape = info.Shape.Select(d => (int)d).ToArray();
        double[] values = info.ElementDataType switch
        {
            TensorElementType.Float => o.GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray(),
            TensorElementType.Double => o.GetTensorDataAsSpan<double>().ToArray(),
            TensorElementType.Int64 => o.GetTensorDataAsSpan<long>().ToArray().Select(v => (double)v).ToArray(),
            TensorElementType.Bool => o.GetTensorDataAsSpan<bool>().ToArray().Select(v => v ? 1.0 : 0.0).ToArray(),
            var t => throw new InvalidOperationException($"unexpected output type {t}"),
        };
        return (values, shape);
    }

    private static OrtValue ToOrt(Tensor x)
    {
        var shape = x.ShapeArray.Select(d => (long)d).ToArray();
        return x.DType switch
        {
            DType.Float32 => OrtValue.CreateTensorValueFromMemory(x.ToArray<float>(), shape),
            DType.Float64 => OrtValue.CreateTensorValueFromMemory(x.ToArray<double>(), shape),
            DType.Int64 => OrtValue.CreateTensorValueFromMemory(x.ToArray<long>(), shape),
            _ => throw new InvalidOperationException($"no ORT input for {x.DType}"),
        };
    }

    public static void AssertClose((double[] Values, int[] Shape) expected, (double[] Values, int[] Shape) actual, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{what}: ONNX Runtime's output has shape {Shape(actual.Shape)}, Dendrite's {Shape(expected.Shape)}");
        double scale = Math.Max(1e-2, expected.Values.Length == 0 ? 0 : expected.Values.Max(Math.Abs));
        double worst = 0;
        for (int i = 0; i < expected.Values.Length; i++)
        {
            double e = expected.Values[i], a = actual.Values[i];
            double diff = double.IsNaN(e) && double.IsNaN(a) ? 0 : Math.Abs(e - a);
            if (!(diff <= worst)) worst = diff;
        }
        Assert.True(worst <= Tolerance * scale, $"{what}: max |ONNX - Dendrite| = {worst:G3} exceeds {Tolerance:G1} x {scale:G3}");
    }

    public static string Shape(int[] s) => "[" + string.Join(", ", s) + "]";
}
