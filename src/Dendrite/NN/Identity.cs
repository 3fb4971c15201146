namespace Dendrite.NN;

/// <summary>Returns its input unchanged (like <c>torch.nn.Identity</c>); a placeholder in architectures.</summary>
public sealed class Identity : Module
{
    /// <summary>Returns <paramref name="input"/>.</summary>
    public override Tensor Forward(Tensor input) => input;
}
