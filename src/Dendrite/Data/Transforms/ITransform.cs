namespace Dendrite.Data.Transforms;

/// <summary>A per-sample transformation of a tensor (torchvision's transforms).</summary>
public interface ITransform
{
    /// <summary>Returns the transformed sample (a new tensor or <paramref name="input"/> itself).</summary>
    Tensor Apply(Tensor input);
}
