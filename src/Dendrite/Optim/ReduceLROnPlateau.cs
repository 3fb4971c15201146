using System.Text.Json.Nodes;

namespace Dendrite.Optim;

/// <summary>Whether a smaller (<see cref="Min"/>) or larger (<see cref="Max"/>) metric is better.</summary>
public enum PlateauMode
{
    /// <summary>The metric should decrease (a loss).</summary>
    Min,
    /// <summary>The metric should increase (an accuracy).</summary>
    Max,
}

/// <summary>How <see cref="ReduceLROnPlateau.Threshold"/> is applied.</summary>
public enum ThresholdMode
{
    /// <summary>Improvement relative to the best value: best·(1 ∓ threshold).</summary>
    Rel,
    /// <summary>Improvement by an absolute amount: best ∓ threshold.</summary>
    Abs,
}

/// <summary>
/// Multiplies the learning rate by <see cref="Factor"/> when a metric has not improved for more than
/// <see cref="Patience"/> epochs (like <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c>). Improvements smaller
/// than the threshold count as bad epochs; after a reduction, <see cref="Cooldown"/> epochs are ignored.
/// </summary>
public sealed class ReduceLROnPlateau
{
    private readonly double[] _minLrs;
    private double[] _lastLr;

    /// <summary>Creates the schedule; <paramref name="minLr"/> is a floor for every group.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0, double minLr = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(factor < 1.0))
            throw new ArgumentException($"ReduceLROnPlateau: factor must be < 1.0, got {factor}.");
        Optimizer = optimizer;
        Mode = mode;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        ThresholdMode = thresholdMode;
        Cooldown = cooldown;
        Eps = eps;
        _minLrs = [.. Enumerable.Repeat(minLr, optimizer.ParamGroups.Count)];
        _lastLr = [.. optimizer.ParamGroups.Select(g => g.Lr)];
        Best = WorstValue;
    }

    /// <summary>The optimizer whose learning rates are reduced.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Whether lower or higher metrics are better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>Multiplier applied on a plateau.</summary>
    public double Factor { get; }

    /// <summary>Bad epochs tolerated before reducing.</summary>
    public int Patience { get; }

    /// <summary>Minimum significant change.</summary>
    public double Threshold { get; }

    /// <summary>Relative or absolute threshold.</summary>
    public ThresholdMode ThresholdMode { get; }

    /// <summary>Epochs to wait after a reduction before counting bad epochs again.</summary>
    public int Cooldown { get; }

    /// <summary>Reductions smaller than this are skipped.</summary>
    public double Eps { get; }

    /// <summary>The best metric seen so far.</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive epochs without improvement.</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Cooldown epochs left.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>Number of <see cref="Step"/> calls.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The learning rate of each group after the last step.</summary>
    public IReadOnlyList<double> LastLr => _lastLr;

    /// <summary>A copy of <see cref="LastLr"/>.</summary>
    public double[] GetLastLr() => [.. _lastLr];

    private double WorstValue => Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Records the epoch's <paramref name="metric"/> and reduces the rates on a plateau.</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric, Best))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else
        {
            NumBadEpochs++;
        }
        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            NumBadEpochs = 0;
        }
        if (NumBadEpochs > Patience)
        {
            var groups = Optimizer.ParamGroups;
            for (int i = 0; i < groups.Count; i++)
            {
                double old = groups[i].Lr, lr = Math.Max(old * Factor, _minLrs[i]);
                if (old - lr > Eps)
                    groups[i].Lr = lr;
            }
            CooldownCounter = Cooldown;
            NumBadEpochs = 0;
        }
        _lastLr = [.. Optimizer.ParamGroups.Select(g => g.Lr)];
    }

    private bool IsBetter(double a, double best) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Rel) => a < best * (1 - Threshold),
        (PlateauMode.Min, ThresholdMode.Abs) => a < best - Threshold,
        (PlateauMode.Max, ThresholdMode.Rel) => a > best * (1 + Threshold),
        _ => a > best + Threshold,
    };

    /// <summary>The counters and best value as JSON (infinite best values are written as null).</summary>
    public JsonObject StateDict() => new()
    {
        ["best"] = double.IsFinite(Best) ? Best : null,
        ["num_bad_epochs"] = NumBadEpochs,
        ["cooldown_counter"] = CooldownCounter,
        ["last_epoch"] = LastEpoch,
        ["_last_lr"] = new JsonArray([.. _lastLr.Select(v => (JsonNode)v)]),
    };

    /// <summary>Restores a state from <see cref="StateDict"/>.</summary>
    public void LoadStateDict(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Best = state["best"]?.GetValue<double>() ?? WorstValue;
        NumBadEpochs = state["num_bad_epochs"]!.GetValue<int>();
        CooldownCounter = state["cooldown_counter"]!.GetValue<int>();
        LastEpoch = state["last_epoch"]!.GetValue<int>();
        _lastLr = [.. state["_last_lr"]!.AsArray().Select(n => n!.GetValue<double>())];
    }
}
