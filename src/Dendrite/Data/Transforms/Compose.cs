namespace Dendrite.Data.Transforms;

/// <summary>Applies several transforms in order.</summary>
public sealed class Compose : ITransform
{
    private readonly ITransform[] _transforms;

    /// <summary>Chains <paramref name="transforms"/> (applied first to last).</summary>
    public Compose(params ITransform[] transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        for (int i = 0; i < transforms.Length; i++)
            if (transforms[i] is null)
                throw new ArgumentNullException(nameof(transforms), $"Compose: transform {i} is null.");
        _transforms = (ITransform[])transforms.Clone();
    }

    /// <summary>The chained transforms.</summary>
    public IReadOnlyList<ITransform> Transforms => _transforms;

    /// <inheritdoc/>
    public Tensor Apply(Tensor input)
    {
        foreach (var t in _transforms)
            input = t.Apply(input);
        return input;
    }
}
