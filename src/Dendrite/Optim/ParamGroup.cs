using System.Text.Json.Nodes;

namespace Dendrite.Optim;

/// <summary>
/// A set of parameters with its own hyper-parameters (PyTorch's param group), e.g. biases without weight decay:
/// <code>
/// new SGD([new ParamGroup(weights), new ParamGroup(biases, weightDecay: 0)], lr: 0.1, weightDecay: 1e-4)
/// </code>
/// A hyper-parameter left null takes the optimizer's value when the optimizer is created. Reading one the
/// optimizer does not use (e.g. <see cref="Betas"/> in SGD) throws.
/// </summary>
public sealed class ParamGroup
{
    private double? _lr, _weightDecay, _momentum, _dampening, _eps, _alpha, _lrDecay, _initialAccumulatorValue, _rho, _momentumDecay;
    private bool? _nesterov, _amsgrad, _centered;
    private (double, double)? _betas;

    /// <summary>Creates a group; null hyper-parameters are filled in from the optimizer's arguments.</summary>
    public ParamGroup(IEnumerable<Tensor> parameters, double? lr = null, double? weightDecay = null, double? momentum = null,
        double? dampening = null, bool? nesterov = null, (double Beta1, double Beta2)? betas = null, double? eps = null,
        bool? amsgrad = null, double? alpha = null, bool? centered = null, double? lrDecay = null, double? initialAccumulatorValue = null,
        double? rho = null, double? momentumDecay = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ParamArray = [.. parameters];
        _lr = lr;
        _weightDecay = weightDecay;
        _momentum = momentum;
        _dampening = dampening;
        _nesterov = nesterov;
        _betas = betas;
        _eps = eps;
        _amsgrad = amsgrad;
        _alpha = alpha;
        _centered = centered;
        _lrDecay = lrDecay;
        _initialAccumulatorValue = initialAccumulatorValue;
        _rho = rho;
        _momentumDecay = momentumDecay;
    }

    /// <summary>The parameters this group updates.</summary>
    public IReadOnlyList<Tensor> Params => ParamArray;

    /// <summary>The parameters as an array, for allocation-free loops in optimizer steps.</summary>
    internal Tensor[] ParamArray { get; }

    /// <summary>The learning rate (schedulers change it).</summary>
    public double Lr { get => Get(_lr, "Lr"); set => _lr = value; }

    /// <summary>The learning rate when the first scheduler was attached (PyTorch's <c>initial_lr</c>), or null.</summary>
    public double? InitialLr { get; set; }

    /// <summary>L2 penalty (decoupled in AdamW).</summary>
    public double WeightDecay { get => Get(_weightDecay, "WeightDecay"); set => _weightDecay = value; }

    /// <summary>Momentum factor (SGD, RMSprop).</summary>
    public double Momentum { get => Get(_momentum, "Momentum"); set => _momentum = value; }

    /// <summary>Dampening for momentum (SGD).</summary>
    public double Dampening { get => Get(_dampening, "Dampening"); set => _dampening = value; }

    /// <summary>Nesterov momentum (SGD).</summary>
    public bool Nesterov { get => Get(_nesterov, "Nesterov"); set => _nesterov = value; }

    /// <summary>Coefficients of the running averages of the gradient and its square (Adam, AdamW).</summary>
    public (double Beta1, double Beta2) Betas { get => Get(_betas, "Betas"); set => _betas = value; }

    /// <summary>Term added to denominators for numerical stability.</summary>
    public double Eps { get => Get(_eps, "Eps"); set => _eps = value; }

    /// <summary>Use the maximum of past squared-gradient averages (Adam, AdamW).</summary>
    public bool Amsgrad { get => Get(_amsgrad, "Amsgrad"); set => _amsgrad = value; }

    /// <summary>Smoothing constant of the squared-gradient average (RMSprop).</summary>
    public double Alpha { get => Get(_alpha, "Alpha"); set => _alpha = value; }

    /// <summary>Normalize by the estimated gradient variance (RMSprop).</summary>
    public bool Centered { get => Get(_centered, "Centered"); set => _centered = value; }

    /// <summary>Learning-rate decay (Adagrad).</summary>
    public double LrDecay { get => Get(_lrDecay, "LrDecay"); set => _lrDecay = value; }

    /// <summary>Starting value of the squared-gradient sums (Adagrad).</summary>
    public double InitialAccumulatorValue { get => Get(_initialAccumulatorValue, "InitialAccumulatorValue"); set => _initialAccumulatorValue = value; }

    /// <summary>Coefficient of the running averages of squared gradients and updates (Adadelta).</summary>
    public double Rho { get => Get(_rho, "Rho"); set => _rho = value; }

    /// <summary>ψ of the momentum schedule μ_t = β₁(1 − ½·0.96^(tψ)) (NAdam).</summary>
    public double MomentumDecay { get => Get(_momentumDecay, "MomentumDecay"); set => _momentumDecay = value; }

    private static T Get<T>(T? value, string name) where T : struct =>
        value ?? throw new InvalidOperationException($"ParamGroup: {name} is not a hyper-parameter of this group's optimizer.");

    /// <summary>Fills every hyper-parameter left null with the value of <paramref name="defaults"/>.</summary>
    internal void FillFrom(ParamGroup defaults)
    {
        _lr ??= defaults._lr;
        _weightDecay ??= defaults._weightDecay;
        _momentum ??= defaults._momentum;
        _dampening ??= defaults._dampening;
        _nesterov ??= defaults._nesterov;
        _betas ??= defaults._betas;
        _eps ??= defaults._eps;
        _amsgrad ??= defaults._amsgrad;
        _alpha ??= defaults._alpha;
        _centered ??= defaults._centered;
        _lrDecay ??= defaults._lrDecay;
        _initialAccumulatorValue ??= defaults._initialAccumulatorValue;
        _rho ??= defaults._rho;
        _momentumDecay ??= defaults._momentumDecay;
    }

    /// <summary>The hyper-parameters under PyTorch's names (<c>lr</c>, <c>betas</c>, <c>weight_decay</c>, ...).</summary>
    internal JsonObject ToJson()
    {
        var o = new JsonObject();
        void Add(string key, JsonNode? value)
        {
            if (value is not null)
                o[key] = value;
        }
        Add("lr", _lr);
        Add("initial_lr", InitialLr);
        Add("weight_decay", _weightDecay);
        Add("momentum", _momentum);
        Add("dampening", _dampening);
        Add("nesterov", _nesterov);
        if (_betas is { } b)
            o["betas"] = new JsonArray(b.Item1, b.Item2);
        Add("eps", _eps);
        Add("amsgrad", _amsgrad);
        Add("alpha", _alpha);
        Add("centered", _centered);
        Add("lr_decay", _lrDecay);
        Add("initial_accumulator_value", _initialAccumulatorValue);
        Add("rho", _rho);
        Add("momentum_decay", _momentumDecay);
        return o;
    }

    /// <summary>Overwrites the hyper-parameters present in <paramref name="o"/> (from <see cref="ToJson"/>).</summary>
    /// <summary>
    /// Reads the hyper-parameters saved by <see cref="ToJson"/> without changing anything, and returns what applies
    /// them: a value of the wrong kind is an <see cref="ArgumentException"/> naming <paramref name="where"/> and the key.
    /// </summary>
    internal Action ParseJson(JsonObject o, string where)
    {
        double? D(string k) => Read(o, k, where, n => n.GetValue<double>());
        bool? B(string k) => Read(o, k, where, n => n.GetValue<bool>());
        double? lr = D("lr"), initialLr = D("initial_lr"), weightDecay = D("weight_decay"), momentum = D("momentum"), dampening = D("dampening");
        bool? nesterov = B("nesterov"), amsgrad = B("amsgrad"), centered = B("centered");
        double? eps = D("eps"), alpha = D("alpha"), lrDecay = D("lr_decay"), initialAccumulator = D("initial_accumulator_value"), rho = D("rho"),
            momentumDecay = D("momentum_decay");
        (double, double)? betas = o["betas"] is JsonArray { Count: 2 } b
            ? (Read(b, 0, where), Read(b, 1, where))
            : o["betas"] is null ? null : throw new ArgumentException($"{where}: 'betas' must be a list of two numbers, got {o["betas"]!.ToJsonString()}.");
        return () =>
        {
            _lr = lr ?? _lr;
            InitialLr = initialLr ?? InitialLr;
            _weightDecay = weightDecay ?? _weightDecay;
            _momentum = momentum ?? _momentum;
            _dampening = dampening ?? _dampening;
            _nesterov = nesterov ?? _nesterov;
            _betas = betas ?? _betas;
            _eps = eps ?? _eps;
            _amsgrad = amsgrad ?? _amsgrad;
            _alpha = alpha ?? _alpha;
            _centered = centered ?? _centered;
            _lrDecay = lrDecay ?? _lrDecay;
            _initialAccumulatorValue = initialAccumulator ?? _initialAccumulatorValue;
            _rho = rho ?? _rho;
            _momentumDecay = momentumDecay ?? _momentumDecay;
        };
    }

    private static T? Read<T>(JsonObject o, string key, string where, Func<JsonNode, T> get) where T : struct
    {
        if (o[key] is not { } node)
            return null;
        try
        {
            return get(node);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new ArgumentException($"{where}: '{key}' must be a {(typeof(T) == typeof(bool) ? "boolean" : "number")}, got {node.ToJsonString()}.", e);
        }
    }

    private static double Read(JsonArray a, int i, string where)
    {
        try
        {
            return a[i]!.GetValue<double>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new ArgumentException($"{where}: 'betas' must be a list of two numbers, got {a.ToJsonString()}.", e);
        }
    }
}
