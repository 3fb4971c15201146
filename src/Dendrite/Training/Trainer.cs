using System.Diagnostics;
using System.Text.Json.Nodes;
using Dendrite.Data;
using Dendrite.NN;
using Dendrite.Optim;
using Dendrite.Training.Metrics;

namespace Dendrite.Training;

/// <summary>
/// Trains a model with an optimizer and a loss over data loaders (the NNDL book's Runner, grown up): per epoch it
/// trains on every batch, evaluates the dev loader, records loss and metrics in <see cref="History"/>, steps the
/// learning-rate schedulers, runs callbacks (best-model checkpoint, early stopping, gradient hooks) and optionally
/// writes a resumable training checkpoint. A non-finite loss stops training with a message naming the epoch and step;
/// a cancelled token stops at the next step boundary and writes a checkpoint from which <see cref="Fit"/> resumes.
/// Around a distributed model (<see cref="IDistributedModel"/>, for example <c>DistributedDataParallel</c>) every
/// rank runs the same loop on its shard: the ranks agree on each step's loss (the mean over ranks) and on stopping,
/// the metrics' totals are summed over the ranks, and only rank 0 reports progress, logs warnings and writes
/// checkpoints (<see cref="IsMainProcess"/>).
/// </summary>
public sealed partial class Trainer
{
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly List<IMetric> _metrics;
    private readonly List<TrainerCallback> _callbacks;
    private string? _stopRequest;

    /// <summary>Creates a trainer.</summary>
    /// <param name="model">The model; <c>Forward(batch.X)</c> gives the predictions.</param>
    /// <param name="optimizer">The optimizer; it should hold exactly the model's parameters (a warning is raised otherwise).</param>
    /// <param name="loss">Loss of (predictions, targets), reduced to a scalar mean over the batch.</param>
    /// <param name="metrics">Metrics computed per epoch on train (from the training forward passes) and on dev.</param>
    /// <param name="scheduler">A learning-rate scheduler stepped every <paramref name="schedulerInterval"/>.</param>
    /// <param name="schedulerInterval">Step the scheduler per epoch or per optimizer step.</param>
    /// <param name="plateau">A ReduceLROnPlateau stepped at each epoch end with the value <paramref name="plateauMonitor"/>.</param>
    /// <param name="plateauMonitor">The recorded value the plateau scheduler watches (for example <c>dev_loss</c>).</param>
    /// <param name="callbacks">Callbacks, run in order.</param>
    public Trainer(Module model, Optimizer optimizer, Func<Tensor, Tensor, Tensor> loss, IEnumerable<IMetric>? metrics = null,
        LRScheduler? scheduler = null, SchedulerInterval schedulerInterval = SchedulerInterval.Epoch,
        ReduceLROnPlateau? plateau = null, string plateauMonitor = "dev_loss", IEnumerable<TrainerCallback>? callbacks = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _loss = loss ?? throw new ArgumentNullException(nameof(loss));
        _metrics = metrics?.ToList() ?? [];
        var names = new HashSet<string>();
        foreach (var m in _metrics)
            if (!names.Add(m.Name))
                throw new ArgumentException($"Trainer: two metrics are named '{m.Name}'; metric names must be unique.");
        Scheduler = scheduler;
        SchedulerInterval = schedulerInterval;
        Plateau = plateau;
        PlateauMonitor = plateauMonitor ?? throw new ArgumentNullException(nameof(plateauMonitor));
        _callbacks = callbacks?.ToList() ?? [];
    }

    /// <summary>Creates a trainer with a loss module (for example <c>new CrossEntropyLoss()</c>).</summary>
    public Trainer(Module model, Optimizer optimizer, Loss loss, IEnumerable<IMetric>? metrics = null,
        LRScheduler? scheduler = null, SchedulerInterval schedulerInterval = SchedulerInterval.Epoch,
        ReduceLROnPlateau? plateau = null, string plateauMonitor = "dev_loss", IEnumerable<TrainerCallback>? callbacks = null)
        : this(model, optimizer, (loss ?? throw new ArgumentNullException(nameof(loss))).Forward, metrics, scheduler, schedulerInterval, plateau, plateauMonitor, callbacks)
    {
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The metrics, in order.</summary>
    public IReadOnlyList<IMetric> Metrics => _metrics;

    /// <summary>The callbacks, in order.</summary>
    public IReadOnlyList<TrainerCallback> Callbacks => _callbacks;

    /// <summary>The learning-rate scheduler, or null.</summary>
    public LRScheduler? Scheduler { get; }

    /// <summary>When <see cref="Scheduler"/> is stepped.</summary>
    public SchedulerInterval SchedulerInterval { get; }

    /// <summary>The plateau scheduler, or null.</summary>
    public ReduceLROnPlateau? Plateau { get; }

    /// <summary>The recorded value <see cref="Plateau"/> watches.</summary>
    public string PlateauMonitor { get; }

    /// <summary>Loss and metrics recorded so far (restored from a checkpoint on resume).</summary>
    public History History { get; private set; } = new();

    /// <summary>Epochs completed so far.</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>Record every step's loss in <see cref="History"/>.</summary>
    public bool RecordSteps { get; set; }

    /// <summary>Receives progress reports (epoch start, every step, epoch end); in distributed training only rank 0's.</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }

    /// <summary>Where warnings are written as they happen (they are also kept in <see cref="History"/>); null for none. In distributed training only rank 0 writes them.</summary>
    public TextWriter? Log { get; set; } = Console.Error;

    /// <summary>A training checkpoint written at the end of every <see cref="CheckpointEvery"/> epochs and on cancellation, or null (in distributed training, by rank 0 only).</summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Write <see cref="CheckpointPath"/> every this many epochs (and always after the last one).</summary>
    public int CheckpointEvery { get; set; } = 1;

    /// <summary>
    /// Generators whose state is part of a checkpoint besides the train loader's (default: <see cref="Generator.Default"/>,
    /// which dropout and random initialisation draw from). Add any generator the model draws from during training.
    /// For an exact resume from a mid-epoch checkpoint, give a shuffled train loader its own generator rather than
    /// <see cref="Generator.Default"/>.
    /// </summary>
    public List<Generator> Generators { get; } = [Generator.Default];

    /// <summary>
    /// Further loaders evaluated after the dev loader at every evaluation epoch, recorded as <c>&lt;name&gt;_loss</c>
    /// and <c>&lt;name&gt;_&lt;metric&gt;</c> (for example <c>EvaluationLoaders["test"]</c> for test-set learning
    /// curves; select models on the dev loader, never on these). Names must be non-empty and not <c>train</c> or <c>dev</c>.
    /// </summary>
    public Dictionary<string, DataLoader> EvaluationLoaders { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Evaluate the dev loader and <see cref="EvaluationLoaders"/> every this many epochs and after the last epoch
    /// (default 1: every epoch). Other epochs record train values only (<see cref="EpochRecord.Evaluated"/> is false);
    /// callbacks and the plateau scheduler skip such epochs when the value they watch is absent.
    /// </summary>
    public int EvaluateEvery
    {
        get => _evaluateEvery;
        set => _evaluateEvery = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), $"Trainer.EvaluateEvery must be at least 1, got {value}.");
    }

    private int _evaluateEvery = 1;

    /// <summary>Asks <see cref="Fit"/> to stop after the current epoch, recording <paramref name="reason"/>.</summary>
    public void RequestStop(string reason) => _stopRequest ??= reason ?? "stop requested";

    /// <summary>
    /// Trains until <paramref name="epochs"/> epochs have been completed in total (a trainer restored from a checkpoint
    /// after epoch k runs epochs k+1 .. epochs; a checkpoint taken mid-epoch continues with the next batch). Returns
    /// <see cref="History"/>. Ends early, without throwing, on <see cref="RequestStop"/> (early stopping), a non-finite
    /// loss (divergence), or cancellation; <see cref="History.StopCause"/> and <see cref="History.StopReason"/> say which.
    /// </summary>
    public History Fit(DataLoader train, DataLoader? dev, int epochs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (epochs < 0)
            throw new ArgumentOutOfRangeException(nameof(epochs), $"Trainer.Fit: epochs must be non-negative, got {epochs}.");
        if (Plateau is not null && dev is null && PlateauMonitor.StartsWith("dev_", StringComparison.Ordinal))
            throw new ArgumentException($"Trainer.Fit: the plateau scheduler watches '{PlateauMonitor}' but no dev loader was given.");
        foreach (var (name, loader) in EvaluationLoaders)
        {
            if (string.IsNullOrEmpty(name) || name is "train" or "dev")
                throw new ArgumentException($"Trainer.Fit: evaluation loader name '{name}' is not allowed; use a non-empty name other than 'train' and 'dev' (for example 'test').");
            ArgumentNullException.ThrowIfNull(loader, $"EvaluationLoaders[\"{name}\"]");
        }
        _stopRequest = null;
        History.StopReason = null; // a restored history may carry the stop of the run it was cancelled in
        History.StopCause = StopCause.None;
        CheckOptimizerParameters();
        if (Group is { } group)
            CheckSameStepCount(group, train.Count);
        var resume = TakePendingResume(train);
        foreach (var c in _callbacks)
            c.OnFitStart(this);
        var clock = Stopwatch.StartNew();
        while (EpochsCompleted < epochs && _stopRequest is null)
        {
            int epoch = EpochsCompleted + 1;
            var epochClock = Stopwatch.StartNew();
            var outcome = TrainEpoch(train, epoch, epochs, resume, cancellationToken, clock);
            resume = null;
            if (outcome.Stop is not null)
            {
                History.StopReason = outcome.Stop;
                History.StopCause = outcome.Cancelled ? StopCause.Cancelled : StopCause.NonFiniteLoss;
                if (outcome.Cancelled && CheckpointPath is not null && IsMainProcess)
                    SaveCheckpoint(CheckpointPath, outcome.Partial);
                break;
            }
            var values = new Dictionary<string, double>(outcome.Values);
            bool evaluate = (dev is not null || EvaluationLoaders.Count > 0) && (epoch % EvaluateEvery == 0 || epoch == epochs);
            if (evaluate && dev is not null)
                AddEvaluation(values, "dev", dev);
            if (evaluate)
                foreach (var (name, loader) in EvaluationLoaders)
                    AddEvaluation(values, name, loader);
            values["lr"] = outcome.Lr;
            var record = new EpochRecord(epoch, values, epochClock.Elapsed.TotalSeconds, evaluated: evaluate || (dev is null && EvaluationLoaders.Count == 0));
            History.Add(record);
            EpochsCompleted = epoch;
            if (Plateau is not null && !record.Skips(PlateauMonitor))
                Plateau.Step(record[PlateauMonitor]);
            if (Scheduler is not null && SchedulerInterval == SchedulerInterval.Epoch)
                Scheduler.Step();
            foreach (var c in _callbacks)
                c.OnEpochEnd(this, record);
            Reporter?.Report(new TrainingProgress(ProgressKind.EpochEnd, epoch, epochs, outcome.Steps, train.Count,
                values["train_loss"], outcome.SamplesPerSecond, clock.Elapsed, values));
            if (CheckpointPath is not null && IsMainProcess && (epoch % Math.Max(1, CheckpointEvery) == 0 || epoch == epochs || _stopRequest is not null))
                SaveCheckpoint(CheckpointPath, partial: null);
        }
        if (_stopRequest is not null && History.StopReason is null)
        {
            History.StopReason = _stopRequest;
            History.StopCause = StopCause.Requested;
        }
        foreach (var c in _callbacks)
            c.OnFitEnd(this);
        return History;
    }

    private sealed record EpochOutcome(Dictionary<string, double> Values, double Lr, int Steps, double SamplesPerSecond,
        string? Stop, bool Cancelled, PartialEpoch? Partial);

    /// <summary>
    /// Where an interrupted epoch stopped: the train loader's generator state at its start, the steps done, their loss
    /// sum, the epoch's learning rate and the metrics' totals (null for a metric that cannot save them).
    /// </summary>
    internal sealed record PartialEpoch((ulong Seed, ulong Counter) LoaderStateAtStart, int StepsDone, double LossSum, double? Lr, JsonNode?[] MetricStates);

    private EpochOutcome TrainEpoch(DataLoader train, int epoch, int epochs, PartialEpoch? resume, CancellationToken ct, Stopwatch clock)
    {
        Model.Train();
        train.Sampler?.SetEpoch(epoch - 1);
        var group = Group;
        foreach (var m in _metrics)
            m.Reset();
        // Metrics that could not save their totals in the checkpoint this epoch resumes from: their value is unknown.
        var unknown = new bool[_metrics.Count];
        if (resume is not null)
        {
            train.Generator.SetState(resume.LoaderStateAtStart);
            for (int i = 0; i < _metrics.Count; i++)
            {
                // A checkpoint holds the totals of all ranks: rank 0 carries them on, the others start from zero.
                if (resume.MetricStates.Length == _metrics.Count && resume.MetricStates[i] is { } state && _metrics[i] is IStatefulMetric m)
                {
                    if (IsMainProcess)
                        m.LoadState(state.DeepClone());
                }
                else
                    unknown[i] = resume.StepsDone > 0;
            }
        }
        var loaderState = train.Generator.GetState();
        int skip = resume?.StepsDone ?? 0;
        double lossSum = resume?.LossSum ?? 0;
        int step = 0, samples = 0;
        double lr = resume?.Lr ?? Optimizer.Lr;
        var epochClock = Stopwatch.StartNew();
        Reporter?.Report(new TrainingProgress(ProgressKind.EpochStart, epoch, epochs, skip, train.Count, double.NaN, 0, clock.Elapsed, null));
        EpochOutcome Cancelled()
        {
            if (group is not null)
                ReduceMetrics(group); // the checkpoint (rank 0's) keeps the totals of every rank
            return new EpochOutcome([], lr, step, 0,
                $"Training cancelled at epoch {epoch} after step {step} of {train.Count}; the checkpoint resumes with step {step + 1}.",
                true, new PartialEpoch(loaderState, step, lossSum, lr,
                    [.. _metrics.Select((m, i) => unknown[i] ? null : (m as IStatefulMetric)?.SaveState())]));
        }
        foreach (var batch in train)
        {
            if (step < skip)
            {
                step++;
                continue;
            }
            if (group is null && ct.IsCancellationRequested)
                return Cancelled();
            var (x, y) = OnDevice(batch);
            Optimizer.ZeroGrad();
            var output = Model.Forward(x);
            var loss = _loss(output, y);
            double lossValue = loss.Item();
            if (group is not null)
            {
                // Distributed: every rank records the mean loss over the ranks, and all stop at the same step.
                (lossValue, bool cancel) = AgreeOnStep(group, lossValue, ct.IsCancellationRequested);
                if (cancel)
                    return Cancelled();
            }
            step++;
            if (!double.IsFinite(lossValue))
                return new EpochOutcome([], lr, step, 0,
                    $"Training stopped: the loss is {lossValue} at epoch {epoch}, step {step} of {train.Count} (global step {GlobalStep + 1}); " +
                    "this step was not applied. Lower the learning rate, check the inputs for NaN/Inf, or clip gradients.",
                    false, null);
            loss.Backward();
            var context = new StepContext(this, epoch, step, GlobalStep + 1, lossValue, batch.Size);
            foreach (var c in _callbacks)
                c.OnAfterBackward(context);
            Optimizer.Step();
            GlobalStep++;
            if (RecordSteps)
                History.Add(new StepRecord(epoch, step, GlobalStep, lossValue, Optimizer.Lr));
            if (Scheduler is not null && SchedulerInterval == SchedulerInterval.Step)
                Scheduler.Step();
            if (_metrics.Count > 0)
            {
                var detached = output.Detach();
                foreach (var m in _metrics)
                    m.Update(detached, y);
            }
            lossSum += lossValue;
            samples += batch.Size * (group?.Size ?? 1); // distributed: every rank's batch has this size
            foreach (var c in _callbacks)
                c.OnStepEnd(context);
            if (Reporter is { } reporter)
            {
                // Running values of the epoch so far, for a progress bar.
                var running = new Dictionary<string, double> { ["train_loss"] = lossSum / step };
                foreach (var m in _metrics)
                    running["train_" + m.Name] = m.Compute();
                reporter.Report(new TrainingProgress(ProgressKind.Step, epoch, epochs, step, train.Count, lossSum / step,
                    samples / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9), clock.Elapsed, running));
            }
        }
        // Train loss of the epoch: the mean of the step losses (as the PyTorch reference loops report it).
        var values = new Dictionary<string, double> { ["train_loss"] = step == 0 ? double.NaN : lossSum / step };
        var unreducible = group is null ? new bool[_metrics.Count] : ReduceMetrics(group);
        for (int i = 0; i < _metrics.Count; i++)
        {
            values["train_" + _metrics[i].Name] = unknown[i] || unreducible[i] ? double.NaN : _metrics[i].Compute();
            if (unknown[i])
                Warn($"Trainer: train_{_metrics[i].Name} of epoch {epoch} is unknown (recorded as NaN): the epoch resumed from a checkpoint taken after step {skip} " +
                     (_metrics[i] is IStatefulMetric ? "that holds no totals for it (an older checkpoint)."
                         : $"and {_metrics[i].GetType().Name} cannot save its totals (implement IStatefulMetric)."));
        }
        return new EpochOutcome(values, lr, step, samples / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9), null, false, null);
    }

    private void AddEvaluation(Dictionary<string, double> values, string prefix, DataLoader loader)
    {
        var r = Evaluate(loader);
        values[prefix + "_loss"] = r.Loss;
        foreach (var (k, v) in r.Metrics)
            values[prefix + "_" + k] = v;
    }

    // The NNDL notes build an optimizer from one model instance and then train another: nothing learns. Say so.
    private void CheckOptimizerParameters()
    {
        var modelParams = UnwrappedModel.NamedParameters().Where(p => p.Tensor.RequiresGrad).ToList();
        var modelSet = new HashSet<Tensor>(modelParams.Select(p => p.Tensor), ReferenceEqualityComparer.Instance);
        var optParams = Optimizer.ParamGroups.SelectMany(g => g.Params).ToList();
        var optSet = new HashSet<Tensor>(optParams, ReferenceEqualityComparer.Instance);
        int foreign = optParams.Count(p => !modelSet.Contains(p));
        var missing = modelParams.Where(p => !optSet.Contains(p.Tensor)).Select(p => p.Name).ToList();
        if (foreign > 0)
            Warn($"Trainer: {foreign} of the optimizer's {optParams.Count} parameters are not parameters of the model, so optimizer steps will not change the model " +
                 "(was the optimizer built from another model instance?).");
        if (missing.Count > 0)
            Warn($"Trainer: {missing.Count} of the model's {modelParams.Count} parameters are not in the optimizer and will not be trained: {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", ..." : "")}.");
    }

    private void Warn(string message)
    {
        History.Warn(message);
        if (IsMainProcess)
            Log?.WriteLine("warning: " + message);
    }
}
