using System.Text.Json.Nodes;

namespace Dendrite.Optim;

/// <summary>
/// The base of epoch-indexed learning-rate schedules (like <c>torch.optim.lr_scheduler._LRScheduler</c>). Creating
/// a scheduler records each group's <see cref="ParamGroup.InitialLr"/> and performs the initial step (epoch 0);
/// each <see cref="Step()"/> then advances one epoch and writes the new rates into the optimizer's groups.
/// Schedules use PyTorch's chainable (recursive) form, so the numbers match PyTorch's to rounding.
/// </summary>
/// <remarks>A subclass computes its rates in <see cref="GetLr"/> and calls <see cref="InitialStep"/> at the end of its constructor.</remarks>
public abstract class LRScheduler
{
    private double[] _lastLr = [];

    /// <summary>Attaches the schedule to <paramref name="optimizer"/>; with <paramref name="lastEpoch"/> ≥ 0 it resumes, and the groups must have <see cref="ParamGroup.InitialLr"/>.</summary>
    protected LRScheduler(Optimizer optimizer, int lastEpoch = -1)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        foreach (var (g, i) in optimizer.ParamGroups.Select((g, i) => (g, i)))
        {
            if (lastEpoch == -1)
                g.InitialLr ??= g.Lr;
            else if (g.InitialLr is null)
                throw new ArgumentException($"{GetType().Name}: resuming at lastEpoch={lastEpoch} needs InitialLr on every parameter group, but group {i} has none.");
        }
        BaseLrs = [.. optimizer.ParamGroups.Select(g => g.InitialLr!.Value)];
        LastEpoch = lastEpoch;
    }

    /// <summary>The optimizer whose learning rates are scheduled.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Each group's starting learning rate.</summary>
    public IReadOnlyList<double> BaseLrs { get; private set; }

    /// <summary>The index of the last epoch stepped (0 after creation).</summary>
    public int LastEpoch { get; protected set; }

    /// <summary>Number of <see cref="Step()"/> calls, the initial step included.</summary>
    protected int StepCount { get; private set; }

    /// <summary>The learning rate of each group as last set by this schedule.</summary>
    public IReadOnlyList<double> LastLr => _lastLr;

    /// <summary>A copy of <see cref="LastLr"/> (PyTorch's <c>get_last_lr()</c>).</summary>
    public double[] GetLastLr() => [.. _lastLr];

    /// <summary>Performs the step to epoch 0 (called once by constructors).</summary>
    protected void InitialStep()
    {
        StepCount = 0;
        Step();
    }

    /// <summary>Advances one epoch and updates the optimizer's learning rates.</summary>
    public virtual void Step()
    {
        StepCount++;
        LastEpoch++;
        Apply(GetLr());
    }

    /// <summary>Jumps to <paramref name="epoch"/>, using the closed form where the schedule has one (as <c>step(epoch)</c> in PyTorch).</summary>
    public virtual void Step(int epoch)
    {
        StepCount++;
        LastEpoch = epoch;
        Apply(ClosedFormLr() ?? GetLr());
    }

    private void Apply(double[] lrs)
    {
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
            groups[i].Lr = lrs[i];
        _lastLr = lrs;
    }

    /// <summary>Steps the epoch counter back by one (used by <see cref="SequentialLR"/> to undo an initial step).</summary>
    internal void RewindOneEpoch() => LastEpoch--;

    /// <summary>Redoes the initial step (used by <see cref="SequentialLR"/>).</summary>
    internal void RedoInitialStep() => InitialStep();

    /// <summary>Sets the last rates (for schedules that step through another schedule).</summary>
    private protected void SetLastLr(IReadOnlyList<double> lrs) => _lastLr = [.. lrs];

    /// <summary>The learning rate of every group at <see cref="LastEpoch"/>, from the current rates (chainable form).</summary>
    protected abstract double[] GetLr();

    /// <summary>The learning rates at <see cref="LastEpoch"/> computed from <see cref="BaseLrs"/>, or null when the schedule has no closed form.</summary>
    protected virtual double[]? ClosedFormLr() => null;

    /// <summary>Current learning rates of the groups, each transformed by <paramref name="f"/>(lr, group index).</summary>
    private protected double[] MapGroups(Func<double, int, double> f)
    {
        var groups = Optimizer.ParamGroups;
        var r = new double[groups.Count];
        for (int i = 0; i < r.Length; i++)
            r[i] = f(groups[i].Lr, i);
        return r;
    }

    /// <summary>The schedule's state as JSON (epoch, step count, base and last rates, plus the schedule's own values).</summary>
    public virtual JsonObject StateDict()
    {
        var o = new JsonObject
        {
            ["last_epoch"] = LastEpoch,
            ["_step_count"] = StepCount,
            ["base_lrs"] = new JsonArray([.. BaseLrs.Select(v => (JsonNode)v)]),
            ["_last_lr"] = new JsonArray([.. _lastLr.Select(v => (JsonNode)v)]),
        };
        return o;
    }

    /// <summary>Restores a state from <see cref="StateDict"/>; the optimizer's own rates are restored by its state dict.</summary>
    public virtual void LoadStateDict(JsonObject state)
    {
        ArgumentNullException.ThrowIfNull(state);
        LastEpoch = state["last_epoch"]!.GetValue<int>();
        StepCount = state["_step_count"]!.GetValue<int>();
        BaseLrs = [.. state["base_lrs"]!.AsArray().Select(n => n!.GetValue<double>())];
        _lastLr = [.. state["_last_lr"]!.AsArray().Select(n => n!.GetValue<double>())];
    }

    /// <summary>Python's modulo (the result has the sign of the divisor).</summary>
    private protected static int PyMod(int a, int n) => ((a % n) + n) % n;
}
