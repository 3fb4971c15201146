namespace Dendrite.NN;

/// <summary>How a loss combines its per-element values (PyTorch's <c>reduction</c> argument).</summary>
public enum Reduction
{
    /// <summary>No reduction: the loss has one value per element (or per sample).</summary>
    None,

    /// <summary>The mean of the per-element losses (weighted mean for class-weighted losses).</summary>
    Mean,

    /// <summary>The sum of the per-element losses.</summary>
    Sum,
}
