using System.Globalization;
using System.Reflection;
using Dendrite.Onnx.Mappings;
using Dendrite.Onnx.Proto;
using Dendrite.Tracing;

namespace Dendrite.Onnx.Export;

/// <summary>
/// Turns a <see cref="ForwardTrace"/> into an ONNX model: the graph input <c>input</c>, one or more nodes per op
/// through the mapping table (<see cref="OpMappings"/>), parameters, buffers and constants as initializers, and the
/// graph output <c>output</c>. With a <em>twin</em> trace (the same module run on a batch of another size) it finds
/// which dimensions follow the batch: those become the symbolic dimension <c>batch</c>, and a mapping that writes
/// sizes into the graph (a reshape) learns which of them vary; any other op attribute or constant that changes with
/// the batch fails the export.
/// </summary>
internal sealed class GraphBuilder
{
    /// <summary>The name of the graph input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph output.</summary>
    public const string OutputName = "output";

    /// <summary>The symbolic name of the batch dimension.</summary>
    public const string BatchSymbol = "batch";

    private readonly ForwardTrace _trace;
    private readonly ForwardTrace? _twin;
    private readonly Dictionary<TracedOp, TracedOp> _twins = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, string> _names = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _taken = [];
    private readonly GraphProto _graph = new();
    private int _next;

    private GraphBuilder(ForwardTrace trace, ForwardTrace? twin, ModelIndex model, int opset)
    {
        _trace = trace;
        _twin = twin;
        Model = model;
        Opset = opset;
    }

    /// <summary>The ai.onnx operator set the graph is written for.</summary>
    public int Opset { get; }

    /// <summary>The exported module's names.</summary>
    public ModelIndex Model { get; }

    /// <summary>The batch sizes of the trace and its twin, for messages.</summary>
    public (int First, int Second) BatchSizes => (_trace.Input.ShapeArray[0], _twin?.Input.ShapeArray[0] ?? 0);

    /// <summary>Builds the model of <paramref name="trace"/> (and its <paramref name="twin"/> for a symbolic batch dimension).</summary>
    public static ModelProto Build(ForwardTrace trace, ForwardTrace? twin, ModelIndex model, int opset, string graphName)
    {
        var g = new GraphBuilder(trace, twin, model, opset);
        g.Pair();
        return g.Run(graphName);
    }

    // Matches each op of the trace with the op at the same place in the twin.
    private void Pair()
    {
        if (_twin is null)
            return;
        var (n1, n2) = (_trace.Input.ShapeArray[0], _twin.Input.ShapeArray[0]);
        int count = Math.Min(_trace.Ops.Count, _twin.Ops.Count);
        for (int i = 0; i <= count; i++)
        {
            if (i == count)
            {
                if (_trace.Ops.Count == _twin.Ops.Count)
                    break;
                var extra = _trace.Ops.Count > count ? _trace.Ops[count] : _twin.Ops[count];
                throw new OnnxExportException($"Onnx.Export: the model ran {_trace.Ops.Count} ops for a batch of {n1} but {_twin.Ops.Count} for a batch of {n2} " +
                                              $"(from {extra.Kind} {Model.Where(extra)} on): {VariesHint}", extra.Kind, Model.PathOf(extra));
            }
            var (a, b) = (_trace.Ops[i], _twin.Ops[i]);
            if (a.Kind != b.Kind || a.Inputs.Count != b.Inputs.Count || a.Outputs.Count != b.Outputs.Count)
                throw new OnnxExportException($"Onnx.Export: the model ran different ops for a batch of {n1} and of {n2} (op {i}: {a.Kind} {Model.Where(a)} " +
                                              $"against {b.Kind} {Model.Where(b)}): {VariesHint}", a.Kind, Model.PathOf(a));
            for (int k = 0; k < a.Outputs.Count; k++)
                if (a.Outputs[k].Rank != b.Outputs[k].Rank)
                    throw Model.Fail(a, $"its output has rank {a.Outputs[k].Rank} for a batch of {n1} but {b.Outputs[k].Rank} for a batch of {n2}: {VariesHint}");
            _twins[a] = b;
        }
    }

    /// <summary>The advice for a computation that changes with the batch size or the input's values.</summary>
    public const string VariesHint = "the computation depends on the batch size or on the input's values, which one ONNX graph with a symbolic batch " +
                                     "dimension cannot follow; export with dynamicBatch: false to fix the batch size";

    private ModelProto Run(string graphName)
    {
        _graph.Name = graphName;
        Reserve(InputName);
        Reserve(OutputName);
        foreach (var (_, state) in Model.State)
            Reserve(state);
        _names[_trace.Input] = InputName;
        _graph.Input.Add(ValueInfo(InputName, _trace.Input, _twin?.Input));
        bool outputIsValue = _trace.Producer(_trace.Output) is { } p && p.Op.Kind != TracedOp.ConstantKind;
        if (outputIsValue)
            _names[_trace.Output] = OutputName;

        foreach (var op in _trace.Ops)
        {
            if (op.Kind == TracedOp.ConstantKind)
                continue; // an initializer, written where it is first read
            if (!OpMappings.Table.TryGetValue(op.Kind, out var map))
                throw Model.Fail(op, $"op '{op.Kind}' has no ONNX mapping, so the model cannot be exported (ops that export: {string.Join(", ", OpMappings.Table.Keys.Order(StringComparer.Ordinal))}).");
            var ctx = new OpContext(this, op, _twins.GetValueOrDefault(op));
            map(ctx);
            ctx.Finish();
        }

        if (!outputIsValue)
            AddNode(null, "Identity", [Name(_trace.Output, null)], [OutputName]);
        _graph.Output.Add(ValueInfo(OutputName, _trace.Output, _twin?.Output));

        var model = new ModelProto
        {
            IrVersion = IrVersion(Opset),
            ProducerName = "Dendrite",
            ProducerVersion = typeof(Tensor).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "",
            DocString = $"{graphName} exported by Dendrite.Onnx",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    // The newest IR version each operator set was released with (ONNX 1.12: IR 8 with opset 17; 1.13: opset 18;
    // 1.14: IR 9, opset 19; 1.15: opset 20; 1.16: IR 10, opset 21).
    private static long IrVersion(int opset) => opset switch { <= 18 => 8, <= 20 => 9, _ => 10 };

    /// <summary>The graph value holding <paramref name="t"/>: its name, adding an initializer for a parameter, buffer or constant on first use.</summary>
    public string Name(Tensor t, TracedOp? consumer)
    {
        if (_names.TryGetValue(t, out var name))
            return name;
        if (Model.StateName(t) is { } state)
        {
            _graph.Initializer.Add(TensorData.ToProto(state, t));
            return _names[t] = state;
        }
        if (_trace.Producer(t) is { } p && p.Op.Kind == TracedOp.ConstantKind)
        {
            CheckConstant(p.Op);
            string c = Fresh("const");
            _graph.Initializer.Add(TensorData.ToProto(c, t));
            return _names[t] = c;
        }
        string user = consumer is null ? "the output" : $"{consumer.Kind} {Model.Where(consumer)}";
        throw new InvalidOperationException($"Onnx.Export: internal: no graph value for a tensor of shape {ForwardTrace.Shape(t)} used by {user}; " +
                                            "its op's mapping did not name it.");
    }

    // A constant is written with its values: they must not change with the batch.
    private void CheckConstant(TracedOp constant)
    {
        if (!_twins.TryGetValue(constant, out var twin))
            return;
        var (a, b) = (constant.Outputs[0], twin.Outputs[0]);
        var (n1, n2) = BatchSizes;
        if (!ShapeUtil.SameShape(a.ShapeArray, b.ShapeArray))
            throw Model.Fail(constant, $"a constant made here has shape {ForwardTrace.Shape(a)} for a batch of {n1} but {ForwardTrace.Shape(b)} for a batch of {n2}: {VariesHint}");
        if (a.DType != b.DType || !TensorData.Bytes(a).AsSpan().SequenceEqual(TensorData.Bytes(b)))
            throw Model.Fail(constant, $"a constant of shape {ForwardTrace.Shape(a)} made here holds other values for another input: {VariesHint}");
    }

    /// <summary>The graph value name for output <paramref name="index"/> of <paramref name="op"/> (the graph output's name for the model's output).</summary>
    public string OutputOf(TracedOp op, int index)
    {
        var t = op.Outputs[index];
        if (_names.TryGetValue(t, out var name))
            return name;
        return _names[t] = Fresh(op.Kind.ToLowerInvariant());
    }

    /// <summary>A new unique value name starting with <paramref name="hint"/>.</summary>
    public string Fresh(string hint)
    {
        string name;
        do name = $"{hint}_{(_next++).ToString(CultureInfo.InvariantCulture)}";
        while (!_taken.Add(name));
        return name;
    }

    private void Reserve(string name)
    {
        if (!_taken.Add(name))
            throw new OnnxExportException($"Onnx.Export: the name '{name}' is used twice in the graph: a parameter or buffer is named like the graph's input or output; rename it.");
    }

    /// <summary>Adds an initializer.</summary>
    public void AddInitializer(TensorProto tensor) => _graph.Initializer.Add(tensor);

    /// <summary>Appends a node computing <paramref name="outputs"/> from <paramref name="inputs"/> ("" for an omitted optional input).</summary>
    public void AddNode(TracedOp? source, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, params (string Name, object Value)[] attributes)
    {
        string path = source is null ? "" : Model.PathOf(source) ?? "";
        var node = new NodeProto
        {
            OpType = opType,
            Name = $"/{(path.Length == 0 ? "" : path.Replace('.', '/') + "/")}{opType}_{(_graph.Node.Count).ToString(CultureInfo.InvariantCulture)}",
        };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        foreach (var (name, value) in attributes)
            node.Attribute.Add(Attribute(name, value));
        _graph.Node.Add(node);
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var a = new AttributeProto { Name = name };
        switch (value)
        {
            case int i: a.Type = AttributeProto.Types.AttributeType.Int; a.I = i; break;
            case long l: a.Type = AttributeProto.Types.AttributeType.Int; a.I = l; break;
            case float f: a.Type = AttributeProto.Types.AttributeType.Float; a.F = f; break;
            case double d: a.Type = AttributeProto.Types.AttributeType.Float; a.F = (float)d; break;
            case string s: a.Type = AttributeProto.Types.AttributeType.String; a.S = Google.Protobuf.ByteString.CopyFromUtf8(s); break;
            case int[] ints: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.Add(ints.Select(v => (long)v)); break;
            case long[] longs: a.Type = AttributeProto.Types.AttributeType.Ints; a.Ints.Add(longs); break;
            default: throw new ArgumentException($"Onnx.Export: internal: attribute '{name}' has an unsupported type {value.GetType().Name}.");
        }
        return a;
    }

    // A graph input or output: element type and dims, those that differ in the twin symbolic.
    private ValueInfoProto ValueInfo(string name, Tensor t, Tensor? twin)
    {
        var shape = new TensorShapeProto();
        var (n1, n2) = BatchSizes;
        for (int d = 0; d < t.Rank; d++)
        {
            int size = t.ShapeArray[d];
            if (twin is null || twin.Rank != t.Rank || twin.ShapeArray[d] == size)
                shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = size });
            else
                shape.Dim.Add(new TensorShapeProto.Types.Dimension
                {
                    DimParam = size == n1 && twin.ShapeArray[d] == n2 ? BatchSymbol : $"{name}_dim{d.ToString(CultureInfo.InvariantCulture)}",
                });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = TensorData.ElementType(t.DType), Shape = shape } },
        };
    }
}
