namespace Dendrite.Training;

/// <summary>When the trainer steps its learning-rate scheduler.</summary>
public enum SchedulerInterval
{
    /// <summary>Once at the end of every epoch.</summary>
    Epoch,

    /// <summary>After every optimizer step.</summary>
    Step,
}
