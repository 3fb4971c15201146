namespace Dendrite.Training.Metrics;

/// <summary>How per-class precision, recall and F1 are combined.</summary>
public enum ClassAverage
{
    /// <summary>Unweighted mean over the classes that occur in the targets or predictions (scikit-learn's <c>macro</c>).</summary>
    Macro,

    /// <summary>The score of class 1 only (scikit-learn's <c>binary</c>, for two classes).</summary>
    Binary,
}
