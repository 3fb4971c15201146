using Dendrite.Autograd;
using Dendrite.Backends;

namespace Dendrite.Ops;

/// <summary>
/// Elementwise binary cross-entropy of probabilities x against targets t:
/// −(t·max(log x, −100) + (1 − t)·max(log(1 − x), −100)) (PyTorch clamps the logs so x = 0 or 1 stays finite).
/// d/dx = (x − t) / max(x·(1 − x), 1e-12); d/dt = max(log(1 − x), −100) − max(log x, −100).
/// </summary>
internal sealed class BinaryCrossEntropyOp : GradFn
{
    public override string Name => "BinaryCrossEntropyBackward";

    public static Tensor Apply(Tensor x, Tensor t)
    {
        var backend = Dispatch.Backend("BinaryCrossEntropy", x, t);
        var xc = x.Dense();
        var tc = t.Dense();
        // PyTorch checks the range before computing (a host read, for the error).
        if (backend.FindNonProbability(xc.Raw) is (long i, double v))
        {
            string value = x.DType == DType.Float32 ? ((float)v).ToString() : v.ToString();
            throw new ArgumentException($"BinaryCrossEntropy: every input element must be a probability in [0, 1], but element {i} is {value}. Apply Sigmoid first, or use BinaryCrossEntropyWithLogits on raw scores.");
        }
        var y = Run(LossPart.Value, xc, tc, null);
        if (!ShouldRecord(x, t))
            return y;
        var fn = new BinaryCrossEntropyOp();
        fn.Save(xc, tc);
        return Record(fn, y, x, t);
    }

    protected internal override Tensor?[] Backward(Tensor gradOutput)
    {
        var x = Saved(0);
        var t = Saved(1);
        var g = gradOutput.Dense();
        Tensor? gx = NeedsGrad(0) ? Run(LossPart.GradInput, x, t, g) : null;
        Tensor? gt = NeedsGrad(1) ? Run(LossPart.GradTarget, x, t, g) : null;
        return [gx, gt];
    }

    private static Tensor Run(LossPart part, Tensor x, Tensor t, Tensor? g)
    {
        var r = Tensor.AllocateLike(x, x.DType, false);
        x.Backend.BinaryCrossEntropy(part, x.Raw, t.Raw, g?.Raw, r.Raw);
        return r;
    }
}
