using Dendrite.Autograd;

namespace Dendrite.Ops;

/// <summary>
/// Max (or min) of all elements as a 0-d tensor. As in PyTorch, the gradient is shared evenly by every element equal
/// to the result (all NaN elements when the result is NaN).
/// </summary>
internal sealed class MaxAllOp : GradFn
{
    private double _value;
    private bool _min;

    public override string Name => _min ? "MinBackward" : "MaxBackward";

    public static Tensor Apply(Tensor x, bool min)
    {
        string op = min ? "Min" : "Max";
        if (x.Numel == 0)
            throw new ArgumentException($"{op}: cannot reduce an empty tensor (shape {ShapeUtil.Format(x.ShapeArray)}): an empty set has no {(min ? "minimum" : "maximum")}; use the dim overload or check Numel first.");
        var flat = x.Detach().Reshape(x.Numel);
        var (values, _) = ArgExtreme.Compute(flat, 0, false, min, op);
        if (!ShouldRecord(x))
            return values;
        var fn = new MaxAllOp { _value = values.GetFlat(0), _min = min };
        fn.Save(x);
        return Record(fn, values, x);
    }

    private bool IsExtreme(double v, bool nan) => nan ? double.IsNaN(v) : v == _value;

    protected internal override Tensor?[] Backward(Tensor g)
    {
        var x = Saved(0);
        int n = x.Numel, ties = 0;
        bool nan = double.IsNaN(_value);
        for (int i = 0; i < n; i++)
            if (IsExtreme(x.GetFlat(i), nan))
                ties++;
        var gx = Tensor.Zeros(x.ShapeArray, g.DType);
        double share = g.GetFlat(0) / ties;
        for (int i = 0; i < n; i++)
            if (IsExtreme(x.GetFlat(i), nan))
                gx.SetFlat(i, share);
        return [gx];
    }
}
