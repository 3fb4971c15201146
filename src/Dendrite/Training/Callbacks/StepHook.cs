namespace Dendrite.Training.Callbacks;

/// <summary>Runs a delegate after every backward pass, before the optimizer step (gradients are readable).</summary>
public sealed class StepHook(Action<StepContext> afterBackward) : TrainerCallback
{
    private readonly Action<StepContext> _afterBackward = afterBackward ?? throw new ArgumentNullException(nameof(afterBackward));

    /// <inheritdoc/>
    public override void OnAfterBackward(StepContext context) => _afterBackward(context);
}
