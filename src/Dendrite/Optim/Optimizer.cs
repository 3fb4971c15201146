using System.Globalization;
using System.Text.Json.Nodes;

namespace Dendrite.Optim;

/// <summary>
/// The base of all optimizers (like <c>torch.optim.Optimizer</c>): parameter groups with their own
/// hyper-parameters, per-parameter state, <see cref="Step"/>, <see cref="ZeroGrad"/> and a state dict that lets
/// training resume exactly. Steps run one fused update kernel per parameter on the parameter's device.
/// </summary>
/// <remarks>
/// Devices: state buffers (momentum, running averages) are created on their parameter's device, and state follows
/// its parameter: after <c>Module.To(device)</c> moved the parameters, the next <see cref="Step"/> moves each
/// parameter's state to the parameter's device (once), so an optimizer built before the move keeps working (PyTorch
/// leaves the state behind and fails instead). A gradient on another device than its parameter is an error.
/// <see cref="StateDict"/> saves the state as CPU tensors; <see cref="LoadStateDict"/> puts it on each parameter's
/// device.
/// </remarks>
public abstract class Optimizer
{
    private readonly List<ParamGroup> _groups = [];
    private readonly Dictionary<Tensor, ParamState> _state = new(ReferenceEqualityComparer.Instance);
    private readonly ParamGroup _defaults;
    private readonly string[] _stateNames;
    private readonly string[] _scalarNames;

    /// <summary>Creates the optimizer; <paramref name="defaults"/> fills the hyper-parameters groups leave null.</summary>
    private protected Optimizer(IEnumerable<ParamGroup> groups, ParamGroup defaults, string[] stateNames)
        : this(groups, defaults, stateNames, [])
    {
    }

    /// <summary>
    /// Creates an optimizer whose per-parameter state also holds host scalars (<paramref name="scalarNames"/>, PyTorch's
    /// names, e.g. NAdam's <c>mu_product</c>), saved beside <c>step</c> in the state dict.
    /// </summary>
    private protected Optimizer(IEnumerable<ParamGroup> groups, ParamGroup defaults, string[] stateNames, string[] scalarNames)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _defaults = defaults;
        _stateNames = stateNames;
        _scalarNames = scalarNames;
        foreach (var g in groups)
            AddParamGroup(g);
        if (_groups.Count == 0)
            throw new ArgumentException($"{GetType().Name}: the optimizer got an empty parameter list.");
    }

    /// <summary>The parameter groups, in order.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>The groups as a list, for allocation-free loops in steps.</summary>
    private protected List<ParamGroup> Groups => _groups;

    /// <summary>The learning rate of the first group; setting it sets every group's.</summary>
    public double Lr
    {
        get => _groups[0].Lr;
        set
        {
            foreach (var g in _groups)
                g.Lr = value;
        }
    }

    /// <summary>Adds a group (for example layers unfrozen during fine-tuning); its null hyper-parameters take the optimizer's.</summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        string name = GetType().Name;
        if (group.Params.Count == 0)
            throw new ArgumentException($"{name}: the optimizer got an empty parameter list.");
        var seen = new HashSet<Tensor>(_groups.SelectMany(g => g.Params), ReferenceEqualityComparer.Instance);
        foreach (var p in group.Params)
        {
            ArgumentNullException.ThrowIfNull(p);
            if (!p.IsLeaf)
                throw new ArgumentException($"{name}: can't optimize a non-leaf tensor (computed by {p.GradFn!.Name}).");
            if (!p.DType.IsFloatingPoint())
                throw new ArgumentException($"{name}: parameters must be floating-point, got a {p.DType} tensor of shape {ShapeUtil.Format(p.ShapeArray)}.");
            if (!p.IsContiguous)
                throw new ArgumentException($"{name}: parameters must be contiguous, got a strided view of shape {ShapeUtil.Format(p.ShapeArray)}.");
            if (!seen.Add(p))
                throw new ArgumentException($"{name}: a parameter of shape {ShapeUtil.Format(p.ShapeArray)} appears in more than one parameter group (or twice in one).");
        }
        group.FillFrom(_defaults);
        _groups.Add(group);
    }

    /// <summary>Updates every parameter that has a gradient.</summary>
    public abstract void Step();

    /// <summary>Clears the gradients of all parameters: zero-filled (PyTorch 1.13's default) or dropped with <paramref name="setToNone"/>.</summary>
    public void ZeroGrad(bool setToNone = false)
    {
        using var _ = Autograd.Autograd.NoGrad();
        foreach (var g in _groups)
            foreach (var p in g.ParamArray)
            {
                if (p.Grad is null)
                    continue;
                if (setToNone)
                    p.Grad = null;
                else
                    p.Grad.Zero();
            }
    }

    /// <summary>The per-parameter state, created empty on first use, with its buffers on the parameter's device.</summary>
    private protected ParamState State(Tensor p)
    {
        if (!_state.TryGetValue(p, out var s))
        {
            s = new ParamState(_stateNames.Length, _scalarNames.Length);
            _state[p] = s;
            return s;
        }
        var buffers = s.Buffers;
        for (int b = 0; b < buffers.Length; b++)
            if (buffers[b] is { } t && !ReferenceEquals(t.Storage.Backend, p.Storage.Backend))
                buffers[b] = MoveState(t, p);
        return s;
    }

    // The parameter was moved (Module.To) after this state was created: the state follows it.
    private static Tensor MoveState(Tensor state, Tensor p) => Ops.ToDeviceOp.Copy(state, p.Backend);

    /// <summary>The gradient of <paramref name="p"/> as a contiguous tensor of its shape and dtype, or null when it has none.</summary>
    private protected Tensor? GradOf(Tensor p)
    {
        var g = p.Grad;
        if (g is null)
            return null;
        if (g.DType != p.DType || !ShapeUtil.SameShape(g.ShapeArray, p.ShapeArray))
            throw new InvalidOperationException($"{GetType().Name}: the gradient ({g.DType} {ShapeUtil.Format(g.ShapeArray)}) does not match its parameter ({p.DType} {ShapeUtil.Format(p.ShapeArray)}).");
        if (!ReferenceEquals(g.Storage.Backend, p.Storage.Backend))
            throw new InvalidOperationException($"{GetType().Name}.Step: expected all tensors to be on the same device, but found the parameter of shape {ShapeUtil.Format(p.ShapeArray)} on {p.Device} and its gradient on {g.Device}; move the gradient with To({p.Device}) or clear it with ZeroGrad(setToNone: true).");
        return g.IsContiguous ? g : g.CopyDense();
    }

    /// <summary>A state buffer of <paramref name="p"/>'s shape, dtype and device filled with <paramref name="value"/>.</summary>
    private protected static Tensor NewBuffer(Tensor p, double value) => Tensor.FullLike(p, value);

    /// <summary>
    /// The optimizer's state (see <see cref="OptimizerStateDict"/> for the layout). Tensors are CPU copies, whatever the
    /// parameters' device, so the snapshot does not change as training goes on.
    /// </summary>
    public OptimizerStateDict StateDict()
    {
        var groups = new JsonArray();
        var state = new JsonObject();
        var tensors = new Dictionary<string, Tensor>();
        int index = 0;
        foreach (var g in _groups)
        {
            var o = g.ToJson();
            var ids = new JsonArray();
            foreach (var p in g.Params)
            {
                ids.Add(index);
                if (_state.TryGetValue(p, out var s))
                {
                    string key = index.ToString(CultureInfo.InvariantCulture);
                    var entry = new JsonObject { ["step"] = s.Step };
                    for (int k = 0; k < _scalarNames.Length; k++)
                        entry[_scalarNames[k]] = s.Scalars[k];
                    state[key] = entry;
                    for (int b = 0; b < _stateNames.Length; b++)
                        if (s.Buffers[b] is { } t)
                            tensors[$"state.{key}.{_stateNames[b]}"] = HostCopy(t);
                }
                index++;
            }
            o["params"] = ids;
            groups.Add(o);
        }
        return new OptimizerStateDict(new JsonObject { ["param_groups"] = groups, ["state"] = state }, tensors);
    }

    /// <summary>
    /// Restores hyper-parameters and state saved by <see cref="StateDict"/> from an optimizer over parameters of the
    /// same shapes; each state tensor is copied to its parameter's dtype and device.
    /// </summary>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        string name = GetType().Name;
        if (stateDict.Meta["param_groups"] is not JsonArray groups || groups.Count != _groups.Count)
            throw new ArgumentException($"{name}.LoadStateDict: the saved state has {(stateDict.Meta["param_groups"] as JsonArray)?.Count ?? 0} parameter groups but this optimizer has {_groups.Count}.");
        for (int i = 0; i < groups.Count; i++)
        {
            int saved = (groups[i]?["params"] as JsonArray)?.Count ?? -1;
            if (saved != _groups[i].Params.Count)
                throw new ArgumentException($"{name}.LoadStateDict: parameter group {i} has {_groups[i].Params.Count} parameters but the saved group has {saved}.");
        }
        // Everything is read and checked before anything changes: a bad entry leaves the optimizer as it was.
        var applyGroups = new List<Action>(groups.Count);
        for (int i = 0; i < groups.Count; i++)
            applyGroups.Add(_groups[i].ParseJson(groups[i] as JsonObject
                ?? throw new ArgumentException($"{name}.LoadStateDict: parameter group {i} is not an object."), $"{name}.LoadStateDict: parameter group {i}"));
        var all = _groups.SelectMany(g => g.Params).ToList();
        var newState = new Dictionary<Tensor, ParamState>(ReferenceEqualityComparer.Instance);
        var savedState = stateDict.Meta["state"] as JsonObject ?? [];
        foreach (var (key, node) in savedState)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int idx) || idx >= all.Count)
                throw new ArgumentException($"{name}.LoadStateDict: state entry '{key}' does not name one of the {all.Count} parameters.");
            var p = all[idx];
            var s = new ParamState(_stateNames.Length, _scalarNames.Length) { Step = node?["step"]?.GetValue<long>() ?? 0 };
            for (int k = 0; k < _scalarNames.Length; k++)
                s.Scalars[k] = node?[_scalarNames[k]]?.GetValue<double>()
                    ?? throw new ArgumentException($"{name}.LoadStateDict: state entry '{key}' has no '{_scalarNames[k]}'.");
            for (int b = 0; b < _stateNames.Length; b++)
            {
                if (!stateDict.Tensors.TryGetValue($"state.{key}.{_stateNames[b]}", out var t))
                    continue;
                if (!ShapeUtil.SameShape(t.ShapeArray, p.ShapeArray))
                    throw new ArgumentException($"{name}.LoadStateDict: state.{key}.{_stateNames[b]} has shape {ShapeUtil.Format(t.ShapeArray)} but its parameter has {ShapeUtil.Format(p.ShapeArray)}.");
                s.Buffers[b] = StateOnDevice(t, p);
            }
            newState[p] = s;
        }
        foreach (var apply in applyGroups)
            apply();
        _state.Clear();
        foreach (var (p, s) in newState)
            _state[p] = s;
    }

    // A dense CPU copy of a state buffer (a snapshot that later steps do not change).
    private static Tensor HostCopy(Tensor t)
    {
        var d = t.Detach();
        return d.Device.IsCpu ? d.CopyDense() : d.Cpu();
    }

    // A loaded buffer as a new dense tensor in p's dtype on p's device, sharing no memory with the state dict.
    private static Tensor StateOnDevice(Tensor saved, Tensor p)
    {
        var d = saved.Detach();
        var c = d.To(p.DType);
        if (!ReferenceEquals(c.Backend, p.Backend))
            return Ops.ToDeviceOp.Copy(c, p.Backend);
        return ReferenceEquals(c, d) ? c.CopyDense() : c.Dense();
    }

    /// <summary>The state of one parameter: a step count, the optimizer's buffers and its host scalars by slot.</summary>
    private protected sealed class ParamState(int slots, int scalars)
    {
        public long Step;
        public readonly Tensor?[] Buffers = new Tensor?[slots];
        public readonly double[] Scalars = new double[scalars];
    }
}
