using Dendrite.NN;

namespace Dendrite.Tracing;

/// <summary>
/// One op as it ran during a trace: its kind (the op's own name, such as <c>Linear</c>, <c>Conv2d</c> or
/// <c>Reshape</c>), the tensors it read and wrote, the module that was running, and its attributes (dims, strides,
/// epsilons: whatever, besides the inputs, decides the result). Storage versions are taken when the op runs, so a later
/// in-place write to any of these tensors can be told apart from the values the op saw.
/// </summary>
internal sealed class TracedOp
{
    /// <summary>The kind of a constant made by a creation function: no inputs, one output holding its value.</summary>
    public const string ConstantKind = "Constant";

    private readonly List<KeyValuePair<string, object>> _attributes = [];

    /// <summary>What <see cref="OpTrace.Record(string, Tensor, Tensor?[])"/> returns when nothing is recorded: it keeps no attributes.</summary>
    internal static TracedOp Discarded { get; } = new("(not recorded)", [], [], null);

    internal TracedOp(string kind, Tensor?[] inputs, Tensor[] outputs, Module? module)
    {
        Kind = kind;
        Inputs = inputs;
        Outputs = outputs;
        Module = module;
        var inVersions = new int[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            inVersions[i] = inputs[i]?.Storage.Version ?? 0;
        var outVersions = new int[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
            outVersions[i] = outputs[i].Storage.Version;
        InputVersions = inVersions;
        OutputVersions = outVersions;
    }

    /// <summary>The op's name, e.g. <c>Conv2d</c>.</summary>
    public string Kind { get; }

    /// <summary>The input tensors, in the op's order; null for an absent optional input (a layer without bias).</summary>
    public IReadOnlyList<Tensor?> Inputs { get; }

    /// <summary>The output tensors.</summary>
    public IReadOnlyList<Tensor> Outputs { get; }

    /// <summary>The innermost module that was running, or null.</summary>
    public Module? Module { get; }

    /// <summary>Each input's storage version when the op read it.</summary>
    public IReadOnlyList<int> InputVersions { get; }

    /// <summary>Each output's storage version when the op had written it.</summary>
    public IReadOnlyList<int> OutputVersions { get; }

    /// <summary>The attributes, in the order they were added.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Attributes => _attributes;

    /// <summary>
    /// Adds an attribute (an int, long, double, bool, string, <see cref="DType"/> or int array; arrays are copied) and
    /// returns this record.
    /// </summary>
    public TracedOp With(string name, object value)
    {
        if (!ReferenceEquals(this, Discarded))
            _attributes.Add(new(name, value is int[] a ? a.Clone() : value));
        return this;
    }

    /// <summary>Whether the attribute <paramref name="name"/> was given.</summary>
    public bool Has(string name) => _attributes.Exists(kv => kv.Key == name);

    /// <summary>The attribute <paramref name="name"/>; throws naming the op when it is missing or of another type.</summary>
    public T Get<T>(string name)
    {
        foreach (var (key, value) in _attributes)
            if (key == name)
                return value is T t ? t : throw new InvalidOperationException($"{Kind}: attribute '{name}' is a {value.GetType().Name}, not a {typeof(T).Name}.");
        throw new InvalidOperationException($"{Kind}: the trace has no attribute '{name}'.");
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kind}({string.Join(", ", Inputs.Select(t => t is null ? "none" : ShapeUtil.Format(t.ShapeArray)))}" +
        string.Concat(_attributes.Select(kv => $", {kv.Key}={(kv.Value is int[] a ? ShapeUtil.Format(a) : kv.Value)}")) + ")";
}
