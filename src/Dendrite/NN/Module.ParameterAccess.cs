namespace Dendrite.NN;

public abstract partial class Module
{
    /// <summary>
    /// The parameter at a dotted path such as <c>weight</c>, <c>fc1.bias</c> or <c>0.weight</c> (PyTorch's
    /// <c>get_parameter</c>); null for a registered absent parameter (a layer without bias).
    /// </summary>
    /// <exception cref="ArgumentException">No module or parameter has that name (the message lists the names there are).</exception>
    public Tensor? GetParameter(string name)
    {
        var (owner, leaf) = Resolve(name, "GetParameter");
        return owner.OwnParameters[owner.ParameterIndex(leaf, name, "GetParameter")].Value;
    }

    /// <summary>
    /// Replaces the parameter at a dotted path (<c>weight</c>, <c>fc1.weight</c>, <c>0.bias</c>) with
    /// <paramref name="tensor"/> as a trainable leaf (the tensor itself when it is a leaf, made to require gradients;
    /// else a detached view of it), like PyTorch's
    /// <c>layer.weight = nn.Parameter(t)</c>: the module computes with the new tensor from then on, and a parameter
    /// found in a field of a user module is written back to that field. The new tensor must have the old one's shape
    /// (any shape where the parameter was absent). Optimizers keep the tensors they were given, so create the
    /// optimizer after replacing parameters, as in PyTorch. Returns the new parameter.
    /// </summary>
    /// <exception cref="ArgumentException">No such parameter, a non-floating tensor or a different shape.</exception>
    public Tensor SetParameter(string name, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var (owner, leaf) = Resolve(name, "SetParameter");
        int i = owner.ParameterIndex(leaf, name, "SetParameter");
        if (!tensor.DType.IsFloatingPoint())
            throw new ArgumentException($"SetParameter: '{name}' must be floating-point, got {tensor.DType}.");
        var old = owner._parameters[i].Value;
        if (old is not null && !ShapeUtil.SameShape(old.ShapeArray, tensor.ShapeArray))
            throw new ArgumentException($"SetParameter: '{name}' has shape {ShapeUtil.Format(old.ShapeArray)}, but the new tensor has shape {ShapeUtil.Format(tensor.ShapeArray)}.");
        // The given leaf itself becomes the parameter (as an assigned nn.Parameter does); a computed tensor is detached.
        var p = tensor.IsLeaf ? tensor : tensor.Detach();
        p.RequiresGrad = true;
        owner._parameters[i] = new(leaf, p);
        if (owner._parameterFields is { } fields && fields.TryGetValue(leaf, out var field))
            field.SetValue(owner, p);
        return p;
    }

    /// <summary>
    /// Replaces this module's own parameter <paramref name="name"/> like <see cref="SetParameter"/>, or removes it when
    /// <paramref name="tensor"/> is null (PyTorch's <c>layer.bias = None</c>); the setter of an optional parameter.
    /// </summary>
    protected void SetOwnParameter(string name, Tensor? tensor)
    {
        if (tensor is null)
            RegisterParameter(name, null);
        else
            SetParameter(name, tensor);
    }

    /// <summary>
    /// The parameter this module registered under <paramref name="name"/> (built-in layers read theirs through it, so
    /// a replacement by <see cref="SetParameter"/> takes effect). Does not trigger field discovery.
    /// </summary>
    protected Tensor? OwnParameter(string name)
    {
        var list = _parameters;
        for (int i = 0; i < list.Count; i++)
            if (list[i].Key == name)
                return list[i].Value;
        throw new InvalidOperationException($"internal: {GetType().Name} has no parameter '{name}'.");
    }

    // The module that owns the last segment of a dotted path, and that segment.
    private (Module Owner, string Leaf) Resolve(string path, string op)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.Split('.');
        var m = this;
        for (int k = 0; k < parts.Length - 1; k++)
        {
            var child = m.OwnModules.FirstOrDefault(kv => kv.Key == parts[k]).Value;
            if (child is null)
                throw new ArgumentException($"{op}: '{path}': {m.GetType().Name} has no child module '{parts[k]}' (children: {Names(m.OwnModules.Where(kv => kv.Value is not null).Select(kv => kv.Key))}).");
            m = child;
        }
        return (m, parts[^1]);
    }

    private int ParameterIndex(string leaf, string path, string op)
    {
        int i = OwnParameters.ToList().FindIndex(kv => kv.Key == leaf);
        if (i < 0)
            throw new ArgumentException($"{op}: '{path}': {GetType().Name} has no parameter '{leaf}' (parameters: {Names(OwnParameters.Select(kv => kv.Key))}).");
        return i;
    }

    private static string Names(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
