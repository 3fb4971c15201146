using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>Max (or min) of all elements as a 0-d tensor; the gradient goes to the first arg-max element.</summary>
internal sealed class MaxAllOp : GradFn
{
    private int[] _inputShape = [];
    private int _index;
    private bool _min;

    public override string Name => _min ? "MinBackward" : "MaxBackward";

    public static Tensor Apply(Tensor x, bool min)
    {
        string op = min ? "Min" : "Max";
        if (x.Numel == 0)
            throw new ArgumentException($"{op}: cannot reduce an empty tensor (shape {ShapeUtil.Format(x.ShapeArray)}): an empty set has no {(min ? "minimum" : "maximum")}; use the dim overload or check Numel first.");
        var flat = x.Detach().Reshape(x.Numel);
        var (values, indices) = ArgExtreme.Compute(flat, 0, false, min, op);
        if (!ShouldRecord(x))
            return values;
        var fn = new MaxAllOp { _inputShape = x.ShapeArray, _index = (int)indices.Span<long>()[0], _min = min };
        return Record(fn, values, x);
    }

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var gx = Tensor.Zeros(_inputShape, g.DType);
        gx.SetFlat(_index, g.GetFlat(0));
        return [gx];
    }
}
