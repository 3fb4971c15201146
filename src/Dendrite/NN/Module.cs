using Dendrite.Tracing;

namespace Dendrite.NN;

/// <summary>
/// The base class of every layer and model (like <c>torch.nn.Module</c>): it owns parameters, buffers and child
/// modules under dotted names, switches between training and evaluation mode, and computes <see cref="Forward"/>.
/// </summary>
/// <remarks>
/// <para>A user module overrides <see cref="Forward(Tensor)"/> and declares its layers as fields or properties:
/// <code>
/// sealed class Mlp : Module
/// {
///     readonly Linear fc1 = new(2, 5), fc2 = new(5, 1);
///     public override Tensor Forward(Tensor x) => fc2.Forward(fc1.Forward(x).Sigmoid()).Sigmoid();
/// }
/// </code>
/// Its parameters are then <c>fc1.weight, fc1.bias, fc2.weight, fc2.bias</c>, found by reflection.</para>
/// <para><b>Discovery rules.</b> On first use (the first call of any method that lists parameters, buffers or
/// children) the instance fields of the concrete type are read once, base-class fields first, each class in
/// declaration order. A field holding a <see cref="Module"/> becomes a child; an array or list of modules becomes
/// children named <c>field.0</c>, <c>field.1</c>, ...; a field holding a leaf <see cref="Tensor"/> that requires
/// gradients becomes a parameter. Other tensors are not registered (use <see cref="RegisterBuffer"/> for state
/// that is saved but not trained). The name is the field name as written (<c>fc1</c>); an auto-property's backing
/// field <c>&lt;Fc1&gt;k__BackingField</c> is named <c>Fc1</c>. Objects registered explicitly with
/// <see cref="RegisterParameter"/>, <see cref="RegisterBuffer"/> or <see cref="RegisterModule"/> keep their
/// registered names and are not discovered a second time; explicit registrations come first in the order.
/// The result is cached: assigning a different module to a field after first use is not seen; call
/// <see cref="RegisterModule"/> to replace a child.</para>
/// <para><see cref="Call(Tensor)"/> and <see cref="Forward(Tensor)"/> are the same computation; <c>Call</c> exists
/// so that code reads like PyTorch's <c>module(x)</c>.</para>
/// </remarks>
public abstract partial class Module
{
    private readonly List<KeyValuePair<string, Tensor?>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor?>> _buffers = [];
    private readonly List<KeyValuePair<string, Module?>> _modules = [];
    private readonly HashSet<string> _nonPersistent = [];
    private Dictionary<string, System.Reflection.FieldInfo>? _parameterFields;
    private bool _discovered;

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Computes the module's output for one input. Containers without a computation of their own throw.</summary>
    public virtual Tensor Forward(Tensor input) =>
        throw new NotSupportedException($"{GetType().Name}: this module does not define Forward(Tensor); override it, or call the module's own Forward overload.");

    /// <summary>Runs <see cref="Forward(Tensor)"/> (PyTorch's <c>module(x)</c>).</summary>
    public Tensor Call(Tensor input) => OpTrace.IsActive ? OpTrace.Forward(this, input) : Forward(input);

    /// <summary>
    /// Makes a trainable leaf from <paramref name="data"/> (PyTorch's <c>nn.Parameter(t)</c>): the tensor itself when it
    /// is a leaf that does not require gradients yet, else a detached view sharing its elements; the result requires
    /// gradients.
    /// </summary>
    public static Tensor Parameter(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var p = data.IsLeaf && !data.RequiresGrad ? data : data.Detach();
        p.RequiresGrad = true;
        return p;
    }

    // ---- registration ----

    /// <summary>
    /// Registers <paramref name="tensor"/> as a parameter under <paramref name="name"/> (it is made to require
    /// gradients); null registers an absent parameter (like a layer without bias). Re-registering a name replaces it.
    /// </summary>
    public Tensor? RegisterParameter(string name, Tensor? tensor)
    {
        CheckName(name, "RegisterParameter");
        if (tensor is not null)
        {
            if (!tensor.IsLeaf)
                throw new ArgumentException($"RegisterParameter: '{name}' must be a leaf tensor (it was computed by {tensor.GradFn!.Name}); use Detach() first.");
            if (!tensor.DType.IsFloatingPoint())
                throw new ArgumentException($"RegisterParameter: '{name}' must be floating-point, got {tensor.DType}.");
            tensor.RequiresGrad = true;
        }
        CheckNotOther(name, _buffers, _modules, "RegisterParameter");
        Set(_parameters, name, tensor);
        return tensor;
    }

    /// <summary>
    /// Registers a buffer: state saved in <see cref="StateDict"/> but not trained (like BatchNorm's running mean).
    /// A non-persistent buffer is listed by <see cref="Buffers"/> but left out of the state dict.
    /// </summary>
    public Tensor? RegisterBuffer(string name, Tensor? tensor, bool persistent = true)
    {
        CheckName(name, "RegisterBuffer");
        CheckNotOther(name, _parameters, _modules, "RegisterBuffer");
        Set(_buffers, name, tensor);
        if (persistent)
            _nonPersistent.Remove(name);
        else
            _nonPersistent.Add(name);
        return tensor;
    }

    /// <summary>Registers <paramref name="module"/> as a child under <paramref name="name"/> and returns it.</summary>
    public T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name, "RegisterModule");
        if (ReferenceEquals(module, this))
            throw new ArgumentException($"RegisterModule: a module cannot be its own child ('{name}').");
        CheckNotOther(name, _parameters, _buffers, "RegisterModule");
        Set(_modules, name, module);
        return module;
    }

    private static void CheckName(string name, string op)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('.'))
            throw new ArgumentException($"{op}: name '{name}' must be non-empty and contain no '.'.");
    }

    private static void CheckNotOther<TA, TB>(string name, List<KeyValuePair<string, TA>> a, List<KeyValuePair<string, TB>> b, string op)
    {
        if (a.Exists(kv => kv.Key == name) || b.Exists(kv => kv.Key == name))
            throw new ArgumentException($"{op}: the name '{name}' is already used by another parameter, buffer or module.");
    }

    private static void Set<T>(List<KeyValuePair<string, T>> list, string name, T value)
    {
        int i = list.FindIndex(kv => kv.Key == name);
        if (i >= 0)
            list[i] = new(name, value);
        else
            list.Add(new(name, value));
    }

    /// <summary>Replaces the tensor of a registered parameter or buffer (used when loading a state dict).</summary>
    internal void ReplaceTensor(string name, Tensor value)
    {
        EnsureDiscovered();
        int i = _parameters.FindIndex(kv => kv.Key == name);
        if (i >= 0)
        {
            _parameters[i] = new(name, value);
            return;
        }
        i = _buffers.FindIndex(kv => kv.Key == name);
        if (i >= 0)
            _buffers[i] = new(name, value);
    }

    private void EnsureDiscovered()
    {
        if (_discovered)
            return;
        _discovered = true;
        ModuleDiscovery.Discover(this);
    }

    internal IReadOnlyList<KeyValuePair<string, Tensor?>> OwnParameters
    {
        get { EnsureDiscovered(); return _parameters; }
    }

    internal IReadOnlyList<KeyValuePair<string, Tensor?>> OwnBuffers
    {
        get { EnsureDiscovered(); return _buffers; }
    }

    internal IReadOnlyList<KeyValuePair<string, Module?>> OwnModules
    {
        get { EnsureDiscovered(); return _modules; }
    }

    internal bool IsPersistentBuffer(string name) => !_nonPersistent.Contains(name);

    internal bool IsRegistered(object value) =>
        _parameters.Exists(kv => ReferenceEquals(kv.Value, value)) ||
        _buffers.Exists(kv => ReferenceEquals(kv.Value, value)) ||
        _modules.Exists(kv => ReferenceEquals(kv.Value, value));

    internal bool HasName(string name) =>
        _parameters.Exists(kv => kv.Key == name) || _buffers.Exists(kv => kv.Key == name) || _modules.Exists(kv => kv.Key == name);

    internal void AddDiscoveredParameter(string name, Tensor t, System.Reflection.FieldInfo field)
    {
        _parameters.Add(new(name, t));
        (_parameterFields ??= [])[name] = field;
    }

    internal void AddDiscoveredModule(string name, Module m) => _modules.Add(new(name, m));

    // ---- traversal ----

    /// <summary>The direct children.</summary>
    public IEnumerable<Module> Children() => NamedChildren().Select(kv => kv.Module);

    /// <summary>The direct children with their names, each module once.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var (name, m) in OwnModules)
            if (m is not null && seen.Add(m))
                yield return (name, m);
    }

    /// <summary>This module and all its descendants, depth first, each once.</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(kv => kv.Module);

    /// <summary>This module (named "") and all its descendants with dotted names, depth first, each once.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var result = new List<(string, Module)>();
        CollectModules(this, "", new HashSet<Module>(ReferenceEqualityComparer.Instance), result);
        return result;
    }

    private static void CollectModules(Module m, string prefix, HashSet<Module> seen, List<(string, Module)> result)
    {
        if (!seen.Add(m))
            return;
        result.Add((prefix, m));
        foreach (var (name, child) in m.OwnModules)
            if (child is not null)
                CollectModules(child, prefix.Length == 0 ? name : prefix + "." + name, seen, result);
    }

    /// <summary>All parameters of this module and its descendants (each tensor once), in registration order.</summary>
    public IEnumerable<Tensor> Parameters(bool recurse = true) => NamedParameters(recurse).Select(kv => kv.Tensor);

    /// <summary>All parameters with dotted names such as <c>fc1.weight</c> or <c>0.bias</c>, each tensor once.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters(bool recurse = true) =>
        CollectTensors(recurse, m => m.OwnParameters, persistentOnly: false);

    /// <summary>All buffers of this module and its descendants.</summary>
    public IEnumerable<Tensor> Buffers(bool recurse = true) => NamedBuffers(recurse).Select(kv => kv.Tensor);

    /// <summary>All buffers with dotted names such as <c>bn.running_mean</c>.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers(bool recurse = true) =>
        CollectTensors(recurse, m => m.OwnBuffers, persistentOnly: false);

    private List<(string, Tensor)> CollectTensors(bool recurse, Func<Module, IReadOnlyList<KeyValuePair<string, Tensor?>>> own, bool persistentOnly)
    {
        var result = new List<(string, Tensor)>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        IEnumerable<(string Name, Module Module)> mods = recurse ? NamedModules() : [("", this)];
        foreach (var (prefix, m) in mods)
            foreach (var (name, t) in own(m))
                if (t is not null && (!persistentOnly || m.IsPersistentBuffer(name)) && seen.Add(t))
                    result.Add((prefix.Length == 0 ? name : prefix + "." + name, t));
        return result;
    }

    /// <summary>Total number of parameter elements.</summary>
    public long ParameterCount => Parameters().Sum(p => (long)p.Numel);

    /// <summary>Calls <paramref name="fn"/> on every descendant, then on this module (like PyTorch's <c>apply</c>).</summary>
    public Module Apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        foreach (var child in Children())
            child.Apply(fn);
        fn(this);
        return this;
    }

    // ---- modes and gradients ----

    /// <summary>Sets training mode on this module and all descendants (<paramref name="mode"/> false = evaluation).</summary>
    public Module Train(bool mode = true)
    {
        SetTraining(this, mode, 0);
        return this;
    }

    // Called every epoch by training loops, so it walks the tree directly instead of collecting it (a module shared
    // by two parents is simply set twice); the depth bound turns a module cycle into an error, not a stack overflow.
    private static void SetTraining(Module m, bool mode, int depth)
    {
        if (depth > 10_000)
            throw new InvalidOperationException($"Train: the module tree is deeper than 10000 levels; does {m.GetType().Name} contain itself?");
        m.IsTraining = mode;
        var children = m.OwnModules;
        for (int i = 0; i < children.Count; i++)
            if (children[i].Value is { } child)
                SetTraining(child, mode, depth + 1);
    }

    /// <summary>Sets evaluation mode (dropout off, batch norm uses running statistics).</summary>
    public Module Eval() => Train(false);

    /// <summary>
    /// Clears the gradients of all parameters: zero-filled in place (PyTorch 1.13's default), or dropped when
    /// <paramref name="setToNone"/> is true.
    /// </summary>
    public void ZeroGrad(bool setToNone = false)
    {
        using var _ = Autograd.Autograd.NoGrad();
        foreach (var p in Parameters())
        {
            if (p.Grad is null)
                continue;
            if (setToNone)
                p.Grad = null;
            else
                p.Grad.Detach().Zero();
        }
    }
}
