using System.Text.Json.Nodes;

namespace Dendrite.Optim;

/// <summary>
/// Runs schedules one after another, switching at the milestone epochs (like
/// <c>torch.optim.lr_scheduler.SequentialLR</c>), e.g. a linear warm-up then cosine annealing:
/// <code>
/// new SequentialLR(opt, [new LinearLR(opt, 0.1, totalIters: 5), new CosineAnnealingLR(opt, 95)], milestones: [5])
/// </code>
/// At a milestone the next schedule restarts at its epoch 0 (its closed form, where it has one).
/// </summary>
public sealed class SequentialLR : LRScheduler
{
    private readonly LRScheduler[] _schedulers;
    private readonly int[] _milestones;

    /// <summary>Creates the composition; <paramref name="milestones"/> has one entry fewer than <paramref name="schedulers"/>.</summary>
    public SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers, IReadOnlyList<int> milestones, int lastEpoch = -1)
        : base(optimizer, lastEpoch)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        ArgumentNullException.ThrowIfNull(milestones);
        if (schedulers.Count == 0)
            throw new ArgumentException("SequentialLR: at least one schedule is needed.");
        for (int i = 0; i < schedulers.Count; i++)
            if (!ReferenceEquals(schedulers[i].Optimizer, optimizer))
                throw new ArgumentException($"SequentialLR: schedule {i} belongs to a different optimizer than the one passed in.");
        if (milestones.Count != schedulers.Count - 1)
            throw new ArgumentException($"SequentialLR: expected {schedulers.Count - 1} milestones for {schedulers.Count} schedules, got {milestones.Count}.");
        _schedulers = [.. schedulers];
        _milestones = [.. milestones];
        LastEpoch = lastEpoch + 1;
        // Undo the initial steps the schedules took when they were created, then redo only the first one's.
        foreach (var g in optimizer.ParamGroups)
            g.Lr = g.InitialLr!.Value;
        foreach (var s in _schedulers)
            s.RewindOneEpoch();
        _schedulers[0].RedoInitialStep();
        SetLastLr(_schedulers[0].LastLr);
    }

    /// <summary>The composed schedules.</summary>
    public IReadOnlyList<LRScheduler> Schedulers => _schedulers;

    /// <summary>Advances one epoch through the schedule active at that epoch.</summary>
    public override void Step()
    {
        LastEpoch++;
        int idx = _milestones.Count(m => m <= LastEpoch);
        var s = _schedulers[idx];
        if (idx > 0 && _milestones[idx - 1] == LastEpoch)
            s.Step(0);
        else
            s.Step();
        SetLastLr(s.LastLr);
    }

    /// <summary>Not supported: a composed schedule only advances one epoch at a time.</summary>
    public override void Step(int epoch) =>
        throw new NotSupportedException("SequentialLR: jumping to an epoch is not supported; call Step() once per epoch.");

    /// <inheritdoc/>
    protected override double[] GetLr() => [.. LastLr];

    /// <inheritdoc/>
    public override JsonObject StateDict()
    {
        var o = base.StateDict();
        o["_milestones"] = new JsonArray([.. _milestones.Select(m => (JsonNode)m)]);
        o["_schedulers"] = new JsonArray([.. _schedulers.Select(s => (JsonNode)s.StateDict())]);
        return o;
    }

    /// <inheritdoc/>
    public override void LoadStateDict(JsonObject state)
    {
        base.LoadStateDict(state);
        var subs = state["_schedulers"]!.AsArray();
        if (subs.Count != _schedulers.Length)
            throw new ArgumentException($"SequentialLR.LoadStateDict: the saved state has {subs.Count} schedules but this one has {_schedulers.Length}.");
        for (int i = 0; i < subs.Count; i++)
            _schedulers[i].LoadStateDict(subs[i]!.AsObject());
    }
}
