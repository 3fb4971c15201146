namespace Dendrite.Data.Transforms;

/// <summary>Flattens a sample to one dimension (for example [1, 28, 28] to [784]).</summary>
public sealed class Flatten : ITransform
{
    /// <inheritdoc/>
    public Tensor Apply(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Reshape(-1);
    }
}
