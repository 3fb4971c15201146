namespace Dendrite.Training;

/// <summary>
/// A training checkpoint that cannot be loaded into a trainer: unreadable, hand-edited, truncated, of another kind
/// (model weights only) or written by a differently built trainer. The message names the file and the metadata key
/// or tensor at fault; <see cref="Trainer.LoadCheckpoint(string)"/> leaves the trainer unchanged when it throws this.
/// </summary>
public sealed class CheckpointFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public CheckpointFormatException(string filePath, string key, string problem, Exception? inner = null)
        : base($"checkpoint '{filePath}': {(key.Length > 0 ? key + ": " : "")}{problem}", inner)
    {
        FilePath = filePath;
        Key = key;
        Problem = problem;
    }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>The metadata key (or tensor name) at fault, e.g. <c>trainer.epochs_completed</c>; empty for the file as a whole.</summary>
    public string Key { get; }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }
}
