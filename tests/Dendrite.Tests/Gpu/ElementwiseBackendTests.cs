using Dendrite.Backends;
using static Dendrite.Tests.Gpu.GpuParity;

namespace Dendrite.Tests.Gpu;

/// <summary>The GPU backend's elementwise kernels on ilgpu-cpu against the CPU backend, through the tensor ops and their backward.</summary>
[Trait("Category", "Gpu")]
public sealed class ElementwiseBackendTests
{
    private static readonly double[] Specials =
        [-800, -30, -20.5, -3, -1, -0.5, -1e-9, -0.0, 0, 1e-9, 0.3, 1, 2.5, 19.9, 20.5, 30, 800, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    public static IEnumerable<object[]> DTypes() => [[DType.Float32], [DType.Float64]];

    private static Tensor Inputs(DType dtype) => Tensor.Cat([Values(Specials, dtype), Random([15], dtype, 3, scale: 3)], 0).Reshape(5, 7);

    [Theory]
    [MemberData(nameof(DTypes))]
    public void UnaryFunctionsAndTheirGradientsMatchTheCpu(DType dtype)
    {
        var x = Inputs(dtype);
        Check(t => t.Neg(), x);
        Check(t => t.Abs(), x);
        Check(t => t.Exp(), x);
        Check(t => t.Log(), x);
        Check(t => t.Sqrt(), x);
        Check(t => t.Square(), x);
        Check(t => t.Relu(), x);
        Check(t => t.Sigmoid(), x);
        Check(t => t.Tanh(), x);
        Check(t => t.Gelu(), x);
        Check(t => t.Softplus(), x);
        Check(t => t.Elu(0.7), x);
        Check(t => t.LeakyRelu(0.02), x);
        Check(t => t.Clamp(-1.5, 2), x);
        Check(t => t.Clamp(0.25, null), x);
        foreach (double p in new[] { 2, 1, 0.5, 0, 3, -1, -1.5, 2.5 })
            Check(t => t.Pow(p), x);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void UnaryFunctionsHandleEmptyAndOneElementTensors(DType dtype)
    {
        Check(t => t.Gelu(), Random([0, 3], dtype, 1));
        Check(t => t.Tanh(), Random([1], dtype, 2));
        Check(t => t.Sigmoid().Exp(), Random([], dtype, 4));
        // A strided input goes through a dense copy first.
        Check(t => t.Transpose(0, 1).Softplus(), Random([3, 4], dtype, 5, scale: 10));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void BroadcastingArithmeticMatchesTheCpu(DType dtype)
    {
        var a = Random([3, 4], dtype, 10);
        var row = Random([4], dtype, 11);
        var column = Random([3, 1], dtype, 12);
        var scalar = Random([], dtype, 13);
        var cube = Random([2, 3, 4], dtype, 14);
        foreach (var op in new Func<Tensor, Tensor, Tensor>[] { (p, q) => p + q, (p, q) => p - q, (p, q) => p * q, (p, q) => p / q, (p, q) => p.Maximum(q), (p, q) => p.Minimum(q) })
        {
            Check(xs => op(xs[0], xs[1]), [a, a.Add(1)]);                            // dense, same size
            Check(xs => op(xs[0], xs[1]), [a, row]);                                 // row broadcast
            Check(xs => op(xs[0], xs[1]), [row, a]);
            Check(xs => op(xs[0], xs[1]), [column, row]);                            // outer product shape
            Check(xs => op(xs[0], xs[1]), [a, scalar]);                              // 0-d operand
            Check(xs => op(xs[0], xs[1]), [scalar, a]);
            Check(xs => op(xs[0].Transpose(0, 1), xs[1]), [a, Random([4, 3], dtype, 15)]); // transposed operand
            Check(xs => op(xs[0].Permute(2, 0, 1), xs[1].Narrow(1, 1, 2)), [cube, Random([4, 4, 3], dtype, 16)]); // both strided
            Check(xs => op(xs[0], xs[1]), [Random([0, 4], dtype, 17), row]);         // empty
        }
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MaximumGivesNaNAndSplitsTiesLikeTheCpu(DType dtype)
    {
        var a = Values([1, 2, double.NaN, -0.0, 3, 5], dtype);
        var b = Values([1, double.NaN, 4, 0.0, 2, 5], dtype);
        Check(xs => xs[0].Maximum(xs[1]), [a, b]);
        Check(xs => xs[0].Minimum(xs[1]), [a, b]);
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void InPlaceUpdatesMatchTheCpu(DType dtype)
    {
        var a = Random([3, 5], dtype, 20);
        var b = Random([5], dtype, 21);
        var cpu = a.Clone();
        var gpu = a.To(D);
        cpu.AddInPlace(b, 0.5).MulInPlace(b).MaximumInPlace(b.Mul(0.1)).AddInPlace(3);
        gpu.AddInPlace(b.To(D), 0.5).MulInPlace(b.To(D)).MaximumInPlace(b.Mul(0.1).To(D)).AddInPlace(3);
        AssertClose(cpu, gpu, Tolerance(dtype));
        // The same view as both operands.
        AssertClose(cpu.Clone().MulInPlace(cpu), gpu.Clone().MulInPlace(gpu), Tolerance(dtype));
        // A strided destination takes the result through a copy.
        var t = a.Clone();
        var tg = a.To(D);
        t.Transpose(0, 1).AddInPlace(Random([5, 3], dtype, 22));
        tg.Transpose(0, 1).AddInPlace(Random([5, 3], dtype, 22).To(D));
        AssertClose(t, tg, Tolerance(dtype));
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void PowAndWinWeightKernelsMatchTheCpu(DType dtype)
    {
        // BinaryKind.Pow and WinWeight have no public op of their own: call the kernels directly.
        var a = Values([2, -2, -2, 0, 0, 1, double.NaN, 1.5, -0.5, 4, 10, 0.1], dtype, 3, 4);
        var b = Values([3, 3, 0.5, -1, 0, double.NaN, 0, -2.5, 2, 0.5, 300, -7], dtype, 3, 4);
        foreach (var kind in new[] { BinaryKind.Pow, BinaryKind.WinWeight })
        {
            var yc = Tensor.Empty([3, 4], dtype);
            var yg = Tensor.Empty([3, 4], dtype, D);
            yc.Backend.Binary(kind, a.Raw, b.Raw, yc.Raw);
            yg.Backend.Binary(kind, a.To(D).Raw, b.To(D).Raw, yg.Raw);
            AssertClose(yc, yg, dtype == DType.Float32 ? 4e-6 : 1e-12, kind.ToString());
            var rowC = Tensor.Empty([3, 4], dtype);
            var rowG = Tensor.Empty([3, 4], dtype, D);
            var r = b.Narrow(0, 1, 1).Reshape(4);
            rowC.Backend.Binary(kind, a.Raw, r.Raw, rowC.Raw);
            rowG.Backend.Binary(kind, a.To(D).Raw, r.To(D).Raw, rowG.Raw);
            AssertClose(rowC, rowG, dtype == DType.Float32 ? 4e-6 : 1e-12, kind + " (broadcast)");
        }
    }

    [Fact]
    public void ComparisonsMatchTheCpuForEveryDtype()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int64 })
        {
            var a = Values([1, 2, double.NaN, 4, -1, 0], dtype == DType.Int64 ? DType.Float64 : dtype, 2, 3);
            if (dtype == DType.Int64)
                a = Values([1, 2, 3, 4, -1, 0], DType.Int64, 2, 3);
            var b = dtype == DType.Int64 ? Values([2, 2, 0], DType.Int64, 3) : Values([2, double.NaN, 0], dtype, 3);
            foreach (var op in new Func<Tensor, Tensor, Tensor>[] { (p, q) => p.Eq(q), (p, q) => p.Ne(q), (p, q) => p.Gt(q), (p, q) => p.Lt(q), (p, q) => p.Ge(q), (p, q) => p.Le(q) })
            {
                Check(xs => op(xs[0], xs[1]), [a, b], grads: false);
                Check(xs => op(xs[0], xs[1]), [a, a], grads: false);
                Check(xs => op(xs[0].Transpose(0, 1), xs[1].Narrow(0, 0, 2).Reshape(1, 2)), [a, b], grads: false);
            }
            Check(xs => xs[0].Gt(1.5), [a], grads: false);
        }
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void WhereSelectsWithBroadcastingAndRoutesGradients(DType dtype)
    {
        var x = Random([3, 4], dtype, 30);
        var y = Random([4], dtype, 31);
        Check(xs => Tensor.Where(xs[0].Gt(0), xs[0], xs[1]), [x, y]);
        Check(xs => Tensor.Where(xs[1].Gt(0), xs[0].Transpose(0, 1), 2.5), [Random([4, 3], dtype, 32), Random([3, 1], dtype, 33)]);
        Check(xs => xs[0].MaskedFill(xs[0].Lt(-0.5), -7), [x]);
    }

    [Fact]
    public void WhereSelectsInt64AndBoolValues()
    {
        var c = Tensor.FromArray([true, false, true, false, false, true], [2, 3]);
        var l = Tensor.FromArray([1L, 2, 3], 3);
        var m = Tensor.FromArray([-1L, -2], 2, 1);
        AssertClose(Tensor.Where(c, l, m), Tensor.Where(c.To(D), l.To(D), m.To(D)), 0);
        var p = Tensor.FromArray([true, true, false], 3);
        var q = Tensor.FromArray([false, true], 2, 1);
        AssertClose(p.LogicalAnd(q), p.To(D).LogicalAnd(q.To(D)), 0);
        AssertClose(p.LogicalOr(q), p.To(D).LogicalOr(q.To(D)), 0);
        AssertClose(c.Any(), c.To(D).Any(), 0);
        AssertClose(c.All(), c.To(D).All(), 0);
    }
}
