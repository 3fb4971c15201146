using Dendrite.NN;
using Dendrite.Optim;

namespace Dendrite.Tests.Docs;

/// <summary>The README's first example, verbatim apart from the assertion, so the front page stays true.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void TinyMlpLearnsTheQuadrantRule()
    {
        // --- README example begins ---
        Tensor.ManualSeed(0);
        var x = Tensor.RandN(512, 2);                                    // points in the plane
        var y = (x[.., 0] * x[.., 1]).Gt(0).To(DType.Float32).Unsqueeze(1); // 1 where both coordinates share a sign
        var model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 1));
        var lossFn = new BCEWithLogitsLoss();
        var opt = new Adam(model.Parameters(), lr: 0.05);
        for (int step = 0; step < 300; step++)
        {
            opt.ZeroGrad();
            var loss = lossFn.Call(model.Call(x), y);
            loss.Backward();
            opt.Step();
        }
        // --- README example ends ---

        var accuracy = model.Call(x).Gt(0).To(DType.Float32).Eq(y).To(DType.Float32).Mean().Item();
        Assert.True(accuracy >= 0.95, $"accuracy {accuracy}");
    }
}
