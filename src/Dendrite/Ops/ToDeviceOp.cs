using Dendrite.Autograd;
using Dendrite.Backends;
using Dendrite.Tracing;

namespace Dendrite.Ops;

/// <summary>A copy onto another device; the gradient is copied back to the source device.</summary>
internal sealed class ToDeviceOp : GradFn
{
    private IBackend _source = null!;

    public override string Name => "ToCopyBackward";

    public static Tensor Apply(Tensor x, IBackend target)
    {
        var y = Copy(x, target);
        if (OpTrace.IsActive)
            OpTrace.Record("ToDevice", y, x).With("device", target.Device.ToString());
        return ShouldRecord(x) ? Record(new ToDeviceOp { _source = x.Backend }, y, x) : y;
    }

    /// <summary>A dense copy of <paramref name="x"/>'s elements on <paramref name="target"/>'s device, staged through host memory.</summary>
    internal static Tensor Copy(Tensor x, IBackend target)
    {
        Array host = x.DType switch
        {
            DType.Float32 => new float[x.Numel],
            DType.Float64 => new double[x.Numel],
            DType.Int64 => new long[x.Numel],
            _ => new bool[x.Numel],
        };
        x.CopyToHost(host, 0);
        return new Tensor(target.FromHost(host), x.ShapeArray);
    }

    protected internal override Tensor?[] Backward(Tensor g) => [ReferenceEquals(g.Backend, _source) ? g : Copy(g, _source)];
}
