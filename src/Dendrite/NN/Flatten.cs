namespace Dendrite.NN;

/// <summary>Flattens dimensions <see cref="StartDim"/>..<see cref="EndDim"/> into one (like <c>torch.nn.Flatten</c>; by default all but the batch dimension).</summary>
public sealed class Flatten : Module
{
    /// <summary>Creates the layer.</summary>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>First dimension flattened.</summary>
    public int StartDim { get; }

    /// <summary>Last dimension flattened (negative counts from the end).</summary>
    public int EndDim { get; }

    /// <summary>[N, C, H, W] → [N, C·H·W] with the defaults.</summary>
    public override Tensor Forward(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}
