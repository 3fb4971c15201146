using Dendrite.Autograd;
using Dendrite.Backends.Cpu;

namespace Dendrite.Ops;

/// <summary>Relu elementwise. // gradient 1 where the output is positive, else 0 (0 at x = 0, as PyTorch)</summary>
internal sealed class ReluOp : GradFn
{
    public override string Name => "ReluBackward";

    public static Tensor Apply(Tensor x)
    {
        var y = Dispatch.Unary<ReluK>(x, "Relu");
        if (!ShouldRecord(x))
            return y;
        var fn = new ReluOp();
        fn.Save(y);
        return Record(fn, y, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var s = Saved(0);
        return [ElementMap.Map2<ReluGrad>(g, s, "ReluBackward")];
    }
}
