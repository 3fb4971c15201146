using System.Globalization;
using Dendrite.Cli.Lab;
using Dendrite.Cli.Lab.Common;
using Dendrite.Cli.Reports;
using Dendrite.Training;

namespace Dendrite.Cli.Training;

/// <summary>
/// Random search of learning rate and weight decay for a train configuration, scored by dev accuracy (a split of the
/// training set; the test set is never looked at), with range narrowing over rounds. Used by <c>dendrite search</c>
/// and the lab's hyperparameter-search experiment. Each trial trains with the library's <see cref="Trainer"/>; a trial
/// whose loss diverges scores 0. When <paramref name="cancellationToken"/> is cancelled (Ctrl+C), the search stops,
/// reports the trials finished so far, and ends with an <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class SearchExperiment(TrainConfig config, int rounds, int perRound, string name = "search",
    string? title = null, string? description = null, CancellationToken cancellationToken = default) : IExperiment
{
    private sealed record Settings(TrainConfig Train, int Rounds, int TrialsPerRound, string LrRange, string WeightDecayRange, string Score);

    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public string Title => title ?? $"Random search for {config.ModelOrDefault} on {config.Dataset}";

    /// <inheritdoc />
    public string Description => description ?? "lr ~ 10^U(−6,−2), weight decay ~ 10^U(−8,−4), scored on a validation split, ranges narrowed each round.";

    /// <inheritdoc />
    public bool NeedsFashionMnist => config.Dataset == "fashion-mnist";

    /// <inheritdoc />
    public void Run(ExperimentContext ctx)
    {
        var s = ctx.UseConfig(new Settings(config, rounds, perRound, "10^U(-6,-2)", "10^U(-8,-4)", "dev accuracy (validation split of the training set)"));
        var cfg = s.Train;
        var data = TrainJob.LoadData(cfg);
        ctx.Log($"  {data.Train.Count} train / {data.Dev.Count} validation samples; {rounds}×{perRound} trials", Ui.Tone.Detail);
        var roundRanges = new List<string[]>();
        var trials = new List<Trial>();
        string? cancelled = null;
        ctx.Progress(p =>
        {
            var bar = p.AddTask("search", rounds * perRound);
            try
            {
                RandomSearch.Run(rounds, perRound, (lr, wd, i) =>
                {
                    var setup = TrainJob.Build(cfg, data, (ulong)cfg.Seed + 10 + (ulong)i, lr: lr, weightDecay: wd);
                    var history = LabTrainer.Fit(ctx, null, $"trial{i + 1}", setup.Trainer, setup.Train, setup.Dev, cfg.Epochs, logHistory: false,
                        cancellationToken: cancellationToken).History;
                    return history.StopCause switch
                    {
                        StopCause.Cancelled => throw new OperationCanceledException(history.StopReason),
                        StopCause.NonFiniteLoss => 0, // a diverged trial scores as badly as possible
                        _ => history.Last("dev_accuracy") ?? 0,
                    };
                }, ctx.Rng(7), onTrial: (t, _) =>
                {
                    trials.Add(t);
                    bar.Update(t.Index, $"trial {t.Index} lr {t.Lr:G3} wd {t.WeightDecay:G3} dev acc {t.Score:F3}");
                }, onRound: (r, ranges) => roundRanges.Add([r.ToString(CultureInfo.InvariantCulture), ranges.ToString()]));
            }
            catch (OperationCanceledException)
            {
                cancelled = $"Search cancelled after {trials.Count} of {rounds * perRound} trials (the unfinished trial is dropped).";
            }
            bar.Complete(trials.Count == 0 ? "no trial finished" : $"best dev acc {trials.Max(t => t.Score):F3}");
        });
        if (trials.Count == 0) throw new OperationCanceledException(cancelled);

        var ranked = trials.OrderByDescending(t => t.Score).ToList();
        var best = ranked[0];
        ctx.Metric("best_dev_acc", best.Score);
        ctx.Metric("best_lr", best.Lr);
        ctx.Metric("best_weight_decay", best.WeightDecay);
        ctx.Metric("trials", trials.Count);
        ctx.Log($"  best: lr {best.Lr:G4}, weight decay {best.WeightDecay:G4}, dev accuracy {best.Score:F4}");
        double[] scores = trials.Select(t => t.Score).ToArray();
        ctx.Report.Text($"{trials.Count} trials in {rounds} rounds of {perRound}; each trains {cfg.ModelOrDefault} ({cfg.Opt}, {cfg.Epochs} epochs, batch {cfg.Batch}) " +
                        "and is scored by accuracy on a validation split carved from the training set. After each round the sampling box shrinks " +
                        "(in log space) around the best 20% of trials so far. The test set is not used.")
            .Add(new ScatterBlock("Validation accuracy vs learning rate", "learning rate", "dev accuracy",
                [new Series("trials", trials.Select(t => t.Lr).ToArray(), scores)], LogX: true, ColorValues: trials.Select(t => (double)t.Round).ToArray(), ColorLabel: "round"))
            .Add(new ScatterBlock("Learning rate vs weight decay (colour: dev accuracy)", "learning rate", "weight decay",
                [new Series("trials", trials.Select(t => t.Lr).ToArray(), trials.Select(t => t.WeightDecay).ToArray())], LogX: true, LogY: true,
                ColorValues: scores, ColorLabel: "dev acc"))
            .Add(new TableBlock("Sampling ranges per round", ["round", "ranges"], [.. roundRanges]))
            .Add(new TableBlock("Best 20 trials", ["rank", "round", "lr", "weight decay", "dev accuracy"],
                ranked.Take(20).Select((t, i) => new[]
                {
                    (i + 1).ToString(CultureInfo.InvariantCulture), t.Round.ToString(CultureInfo.InvariantCulture), t.Lr.ToString("G4", CultureInfo.InvariantCulture),
                    t.WeightDecay.ToString("G4", CultureInfo.InvariantCulture), t.Score.ToString("F4", CultureInfo.InvariantCulture),
                }).ToArray()));
        if (cancelled is not null)
        {
            ctx.Report.Text(cancelled);
            throw new OperationCanceledException(cancelled + " The report covers the finished trials.");
        }
    }
}
