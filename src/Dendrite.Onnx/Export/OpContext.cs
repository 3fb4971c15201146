using System.Globalization;
using Dendrite.Onnx.Proto;
using Dendrite.Tracing;

namespace Dendrite.Onnx.Export;

/// <summary>
/// What a mapping (<see cref="Mappings.OpMappings"/>) sees of one traced op and how it writes its nodes: the op's
/// inputs as graph value names (with casts where ONNX wants one element type), its attributes, which sizes follow the
/// batch, and helpers for nodes and small constants. One context per op.
/// </summary>
internal sealed class OpContext
{
    private readonly GraphBuilder _g;
    private readonly HashSet<string> _batchAware = [];

    internal OpContext(GraphBuilder g, TracedOp op, TracedOp? twin)
    {
        _g = g;
        Op = op;
        Twin = twin;
    }

    /// <summary>The traced op.</summary>
    public TracedOp Op { get; }

    /// <summary>The same op in the run with another batch size (null when the batch is fixed).</summary>
    public TracedOp? Twin { get; }

    /// <summary>The ai.onnx operator set being written.</summary>
    public int Opset => _g.Opset;

    /// <summary>Input tensor <paramref name="i"/>, or null when absent.</summary>
    public Tensor? Input(int i) => i < Op.Inputs.Count ? Op.Inputs[i] : null;

    /// <summary>Output tensor <paramref name="i"/>.</summary>
    public Tensor Output(int i = 0) => Op.Outputs[i];

    /// <summary>The graph value of input <paramref name="i"/>.</summary>
    public string In(int i) => _g.Name(Input(i) ?? throw new InvalidOperationException($"Onnx.Export: internal: {Op.Kind} has no input {i}."), Op);

    /// <summary>The graph value of input <paramref name="i"/>, cast to <paramref name="dtype"/> when it has another type.</summary>
    public string InAs(int i, DType dtype) => Input(i)!.DType == dtype ? In(i) : Cast(In(i), dtype);

    /// <summary>The graph value to write output <paramref name="i"/> to.</summary>
    public string Out(int i = 0) => _g.OutputOf(Op, i);

    /// <summary>Attribute <paramref name="name"/> of the op.</summary>
    public T Attr<T>(string name) => Op.Get<T>(name);

    /// <summary>
    /// Attribute <paramref name="name"/> (sizes) and which entries differ in the twin run: the mapping takes care of
    /// those (a reshape writes -1), so the attribute may follow the batch.
    /// </summary>
    public (int[] Values, bool[] Varies) IntsByBatch(string name)
    {
        _batchAware.Add(name);
        var values = Op.Get<int[]>(name);
        var varies = new bool[values.Length];
        if (Twin is not null)
        {
            var other = Twin.Get<int[]>(name);
            if (other.Length != values.Length)
                throw Fail($"its {name} has {values.Length} entries for a batch of {_g.BatchSizes.First} but {other.Length} for a batch of {_g.BatchSizes.Second}: {GraphBuilder.VariesHint}");
            for (int k = 0; k < values.Length; k++)
                varies[k] = values[k] != other[k];
        }
        return (values, varies);
    }

    /// <summary>An int attribute and whether it differs in the twin run; the mapping takes care of it following the batch.</summary>
    public (int Value, bool Varies) IntByBatch(string name)
    {
        _batchAware.Add(name);
        int v = Op.Get<int>(name);
        return (v, Twin is not null && Twin.Get<int>(name) != v);
    }

    /// <summary>Which dims of input <paramref name="i"/> follow the batch (differ in the twin run).</summary>
    public bool[] InputVaries(int i) => Varies(Input(i)!, Twin?.Inputs[i]);

    /// <summary>Which dims of output <paramref name="i"/> follow the batch.</summary>
    public bool[] OutputVaries(int i = 0) => Varies(Output(i), Twin?.Outputs[i]);

    /// <summary>The size of dim <paramref name="dim"/> of input <paramref name="i"/> in the twin run (its own size when there is none).</summary>
    public int TwinInputSize(int i, int dim) => (Twin?.Inputs[i] ?? Input(i)!).ShapeArray[dim];

    private static bool[] Varies(Tensor t, Tensor? twin)
    {
        var v = new bool[t.Rank];
        if (twin is not null)
            for (int d = 0; d < t.Rank; d++)
                v[d] = twin.ShapeArray[d] != t.ShapeArray[d];
        return v;
    }

    /// <summary>A new value name, for a node written with NodeTo.</summary>
    public string Fresh(string hint) => _g.Fresh(hint);

    /// <summary>Attribute <paramref name="name"/> as it was in the twin run (this run's when there is no twin).</summary>
    public T TwinAttr<T>(string name) => (Twin ?? Op).Get<T>(name);

    /// <summary>Adds a node with one new output value and returns its name.</summary>
    public string Node(string opType, string[] inputs, params (string Name, object Value)[] attributes)
    {
        string y = _g.Fresh(opType.ToLowerInvariant());
        _g.AddNode(Op, opType, inputs, [y], attributes);
        return y;
    }

    /// <summary>Adds a node writing <paramref name="output"/>.</summary>
    public void NodeTo(string output, string opType, string[] inputs, params (string Name, object Value)[] attributes) =>
        _g.AddNode(Op, opType, inputs, [output], attributes);

    /// <summary>Adds a node writing several outputs.</summary>
    public void NodeTo(string[] outputs, string opType, string[] inputs, params (string Name, object Value)[] attributes) =>
        _g.AddNode(Op, opType, inputs, outputs, attributes);

    /// <summary>A Cast of <paramref name="value"/> to <paramref name="dtype"/>.</summary>
    public string Cast(string value, DType dtype) => Node("Cast", [value], ("to", (long)TensorData.ElementType(dtype)));

    /// <summary>A 1-D Int64 constant (shapes, axes, indices).</summary>
    public string Int64s(params long[] values)
    {
        string name = _g.Fresh("ints");
        _g.AddInitializer(TensorData.FromInt64s(name, [values.Length], values));
        return name;
    }

    /// <summary>A 0-d Int64 constant.</summary>
    public string Int64Scalar(long value)
    {
        string name = _g.Fresh("int");
        _g.AddInitializer(TensorData.FromInt64s(name, [], [value]));
        return name;
    }

    /// <summary>A 0-d constant of <paramref name="dtype"/>.</summary>
    public string Scalar(double value, DType dtype)
    {
        string name = _g.Fresh("scalar");
        _g.AddInitializer(TensorData.FromValues(name, dtype, [], value));
        return name;
    }

    /// <summary>A constant of <paramref name="shape"/> filled with <paramref name="value"/> (a layer's absent scale or shift).</summary>
    public string Filled(IReadOnlyList<int> shape, double value, DType dtype)
    {
        string name = _g.Fresh("fill");
        int n = 1;
        foreach (int d in shape)
            n *= d;
        var values = new double[n];
        Array.Fill(values, value);
        _g.AddInitializer(TensorData.FromValues(name, dtype, shape.Select(d => (long)d).ToArray(), values));
        return name;
    }

    /// <summary>
    /// A Reduce* node over <paramref name="axes"/> (all axes when null), with the axes as an attribute or as an input
    /// as <see cref="Opset"/> wants (ReduceSum takes them as an input from opset 13, the others from opset 18).
    /// </summary>
    public void Reduce(string opType, string input, int[]? axes, bool keepDims, string output)
    {
        bool axesInput = opType == "ReduceSum" || Opset >= 18;
        var keep = ("keepdims", (object)(keepDims ? 1L : 0L));
        if (axes is null)
            NodeTo(output, opType, [input], keep);
        else if (axesInput)
            NodeTo(output, opType, [input, Int64s(axes.Select(a => (long)a).ToArray())], keep);
        else
            NodeTo(output, opType, [input], keep, ("axes", axes));
    }

    /// <summary>An export error about this op, naming it and its module.</summary>
    public OnnxExportException Fail(string problem) => _g.Model.Fail(Op, problem);

    // Every attribute the mapping did not handle as batch-dependent must be the same in the twin run.
    internal void Finish()
    {
        if (Twin is null)
            return;
        var (n1, n2) = _g.BatchSizes;
        foreach (var (name, value) in Op.Attributes)
        {
            if (_batchAware.Contains(name))
                continue;
            var other = Twin.Get<object>(name);
            bool same = value is int[] a && other is int[] b ? a.AsSpan().SequenceEqual(b) : Equals(value, other);
            if (!same)
                throw Fail($"its {name} is {Show(value)} for a batch of {n1} but {Show(other)} for a batch of {n2}: {GraphBuilder.VariesHint}");
        }
    }

    private static string Show(object v) => v is int[] a ? ShapeUtil.Format(a) : Convert.ToString(v, CultureInfo.InvariantCulture) ?? "";
}
