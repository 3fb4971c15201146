using Dendrite.NN;
using Dendrite.Tracing;

namespace Dendrite.Tests.Onnx;

/// <summary>The op kinds a module's forward pass reports to the tracer, in evaluation mode.</summary>
internal static class OnnxTraceProbe
{
    public static HashSet<string> Kinds(Module model, Tensor x)
    {
        bool training = model.IsTraining;
        model.Eval();
        try
        {
            using var session = OpTraceSession.Start();
            OpTrace.Forward(model, x);
            return session.Ops.Select(o => o.Kind).ToHashSet();
        }
        finally
        {
            model.Train(training);
        }
    }
}
