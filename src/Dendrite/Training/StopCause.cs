namespace Dendrite.Training;

/// <summary>Why <see cref="Trainer.Fit"/> ended before the requested number of epochs.</summary>
public enum StopCause
{
    /// <summary>It did not stop early: every requested epoch ran.</summary>
    None,

    /// <summary>A callback (for example early stopping) called <see cref="Trainer.RequestStop"/>.</summary>
    Requested,

    /// <summary>The loss stopped being finite (NaN or ±Inf): training diverged; the offending step was not applied.</summary>
    NonFiniteLoss,

    /// <summary>The cancellation token was cancelled; a checkpoint was written when a checkpoint path was set.</summary>
    Cancelled,
}
