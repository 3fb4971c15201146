using Dendrite.Tracing;

namespace Dendrite.Onnx.Export;

/// <summary>
/// One forward pass recorded for export: the ops the output depends on, in the order they ran (constants included),
/// and which op produced each of their tensors. Building it checks that every tensor those ops read is accounted for
/// (the input, a parameter or buffer, a constant, or a recorded op's output) and was not written in place.
/// </summary>
internal sealed class ForwardTrace
{
    private readonly Dictionary<Tensor, (TracedOp Op, int Index)> _producers = new(ReferenceEqualityComparer.Instance);

    private ForwardTrace(Tensor input, Tensor output)
    {
        Input = input;
        Output = output;
    }

    /// <summary>The graph input the pass ran on.</summary>
    public Tensor Input { get; }

    /// <summary>The module's output.</summary>
    public Tensor Output { get; }

    /// <summary>The ops the output depends on, in the order they ran.</summary>
    public List<TracedOp> Ops { get; } = [];

    /// <summary>The op (and output index) that produced <paramref name="t"/>, or null for the input and the model's state.</summary>
    public (TracedOp Op, int Index)? Producer(Tensor t) => _producers.TryGetValue(t, out var p) ? p : null;

    /// <summary>Keeps the recorded ops that <paramref name="output"/> depends on and checks them (see the class summary).</summary>
    public static ForwardTrace Build(IReadOnlyList<TracedOp> recorded, Tensor input, Tensor output, ModelIndex model)
    {
        var trace = new ForwardTrace(input, output);
        // The last op to report a tensor produced it (an op built from others reports after them).
        var producers = new Dictionary<Tensor, (TracedOp Op, int Index)>(ReferenceEqualityComparer.Instance);
        foreach (var op in recorded)
            for (int k = 0; k < op.Outputs.Count; k++)
                producers[op.Outputs[k]] = (op, k);

        // Walk back from the output; mark the ops it depends on.
        var live = new HashSet<TracedOp>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(Tensor Tensor, TracedOp? Consumer, int Slot)>();
        pending.Push((output, null, 0));
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        while (pending.Count > 0)
        {
            var (t, consumer, slot) = pending.Pop();
            if (!seen.Add(t) || ReferenceEquals(t, input) || model.StateName(t) is not null)
                continue;
            if (!producers.TryGetValue(t, out var p))
                throw Unknown(t, consumer, slot, model);
            if (!live.Add(p.Op))
                continue;
            for (int i = 0; i < p.Op.Inputs.Count; i++)
                if (p.Op.Inputs[i] is { } x)
                    pending.Push((x, p.Op, i));
        }
        foreach (var op in recorded)
            if (live.Contains(op))
                trace.Ops.Add(op);
        foreach (var op in trace.Ops)
            for (int k = 0; k < op.Outputs.Count; k++)
                if (producers.TryGetValue(op.Outputs[k], out var p) && ReferenceEquals(p.Op, op))
                    trace._producers[op.Outputs[k]] = p;
        trace.CheckVersions(model);
        return trace;
    }

    // Every value the graph holds must be the one the ops saw: an op's output unchanged since it was computed, and the
    // input, parameters and constants unchanged since each use (their values are read when the file is written).
    private void CheckVersions(ModelIndex model)
    {
        foreach (var op in Ops)
        {
            if (op.Kind != TracedOp.ConstantKind)
                for (int k = 0; k < op.Outputs.Count; k++)
                    if (op.Outputs[k].Storage.Version != op.OutputVersions[k])
                        throw model.Fail(op, $"its output of shape {Shape(op.Outputs[k])} was modified in place afterwards; in-place ops cannot be exported (use the out-of-place form, e.g. Add instead of AddInPlace).");
            for (int i = 0; i < op.Inputs.Count; i++)
            {
                if (op.Inputs[i] is not { } x)
                    continue;
                var p = Producer(x);
                bool readsFinalValue = p is null || p.Value.Op.Kind == TracedOp.ConstantKind;
                if (readsFinalValue && x.Storage.Version != op.InputVersions[i])
                    throw model.Fail(op, $"input {i} (shape {Shape(x)}) was modified in place after this op read it; in-place ops cannot be exported.");
            }
        }
    }

    private static OnnxExportException Unknown(Tensor t, TracedOp? consumer, int slot, ModelIndex model)
    {
        string value = $"a {t.DType} tensor of shape {Shape(t)}";
        string use = consumer is null ? $"the model's output ({value})" : $"input {slot} of {consumer.Kind} {model.Where(consumer)} ({value})";
        if (t.GradFn is { } fn)
        {
            // A differentiable op that does not report to the tracer: name it from its autograd node.
            string op = OpName(fn.Name);
            return new OnnxExportException($"Onnx.Export: {op} ({fn.Name}) cannot be exported: it computed {use}, but it has no trace support, so the " +
                                           "graph would not contain it.", op, consumer is null ? "" : model.PathOf(consumer));
        }
        string why = "it is not the model's input, one of its parameters or buffers, or the result of an op or creation function the trace " +
                     "recorded: random numbers drawn in Forward, a tensor made before Forward and not registered (register it with " +
                     "RegisterBuffer), or the result of an op without trace support";
        return consumer is null ? new OnnxExportException($"Onnx.Export: {use}: {why}.", null, "") : model.Fail(consumer, $"input {slot} ({value}): {why}.");
    }

    // "SortBackward" -> "Sort"
    private static string OpName(string gradFnName) => gradFnName.EndsWith("Backward", StringComparison.Ordinal) ? gradFnName[..^"Backward".Length] : gradFnName;

    internal static string Shape(Tensor t) => ShapeUtil.Format(t.ShapeArray);
}
