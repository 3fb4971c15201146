using System.Text.Json.Nodes;

namespace Dendrite.Training;

/// <summary>
/// Hooks into <see cref="Trainer.Fit"/>. Override the events you need; callbacks run in the order they were given.
/// A callback with state that must survive a checkpoint overrides <see cref="SaveState"/> and <see cref="LoadState"/>.
/// </summary>
public abstract class TrainerCallback
{
    /// <summary>Before the first epoch of a <see cref="Trainer.Fit"/> call.</summary>
    public virtual void OnFitStart(Trainer trainer) { }

    /// <summary>After backward and before the optimizer step: gradients are in the parameters' <c>Grad</c>.</summary>
    public virtual void OnAfterBackward(StepContext context) { }

    /// <summary>After the optimizer step.</summary>
    public virtual void OnStepEnd(StepContext context) { }

    /// <summary>After an epoch's values are recorded; may call <see cref="Trainer.RequestStop"/>.</summary>
    public virtual void OnEpochEnd(Trainer trainer, EpochRecord record) { }

    /// <summary>When <see cref="Trainer.Fit"/> ends (normally or stopped early).</summary>
    public virtual void OnFitEnd(Trainer trainer) { }

    /// <summary>State to store in a training checkpoint: JSON, plus tensors added to <paramref name="tensors"/> under <paramref name="prefix"/>.</summary>
    public virtual JsonNode? SaveState(IDictionary<string, Tensor> tensors, string prefix) => null;

    /// <summary>Restores what <see cref="SaveState"/> stored.</summary>
    public virtual void LoadState(JsonNode? state, IReadOnlyDictionary<string, Tensor> tensors, string prefix) { }
}

/// <summary>One training step, as seen by <see cref="TrainerCallback.OnAfterBackward"/> and <see cref="TrainerCallback.OnStepEnd"/>.</summary>
public sealed record StepContext(Trainer Trainer, int Epoch, int Step, long GlobalStep, double Loss, int BatchSize);
