using Dendrite.Data.Datasets;

namespace Dendrite.Tests.Data;

/// <summary>A fact that is skipped, with the install command, when Fashion-MNIST is not installed.</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (!FashionMnist.IsAvailable())
            Skip = $"Fashion-MNIST is not installed in {DataRoot.Resolve(FashionMnist.FolderName, null)}: sudo apt-get install dataset-fashion-mnist";
    }
}
