using Dendrite.Backends;
using static Dendrite.Tests.Gpu.GpuParity;

namespace Dendrite.Tests.Gpu;

/// <summary>Matrix products through the GPU backend's GEMM on ilgpu-cpu against the CPU: layouts, bias, beta, batches, empty sizes.</summary>
[Trait("Category", "Gpu")]
public sealed class LinalgBackendTests
{
    public static IEnumerable<object[]> DTypes() => [[DType.Float32], [DType.Float64]];

    [Theory]
    [MemberData(nameof(DTypes))]
    public void LinearForwardAndBackwardMatchTheCpu(DType dtype)
    {
        var x = Random([5, 7], dtype, 90);
        var w = Random([3, 7], dtype, 91);
        var b = Random([3], dtype, 92);
        Check(xs => xs[0].Linear(xs[1], xs[2]), [x, w, b]);
        Check(xs => xs[0].Linear(xs[1]), [x, w]);
        Check(xs => xs[0].Linear(xs[1], xs[2]), [Random([2, 4, 7], dtype, 93), w, b]);        // 3-D input
        Check(xs => xs[0].Linear(xs[1].Transpose(0, 1), xs[2]), [x, Random([7, 3], dtype, 94), b]); // transposed weight
        Check(xs => xs[0].Linear(xs[1], xs[2]), [Random([0, 7], dtype, 95), w, b]);           // no rows
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void MatMulOfStridedOperandsMatchesTheCpu(DType dtype)
    {
        var a = Random([4, 6], dtype, 100);
        var bm = Random([6, 5], dtype, 101);
        Check(xs => xs[0].MatMul(xs[1]), [a, bm]);
        Check(xs => xs[0].Transpose(0, 1).MatMul(xs[1]), [Random([6, 4], dtype, 102), bm]);                 // Aᵀ
        Check(xs => xs[0].MatMul(xs[1].Transpose(0, 1)), [a, Random([5, 6], dtype, 103)]);                  // Bᵀ
        Check(xs => xs[0].Narrow(1, 1, 6).MatMul(xs[1].Narrow(0, 2, 6)), [Random([4, 9], dtype, 104), Random([8, 5], dtype, 105)]); // row strides
        // Neither row- nor column-major (both strides above 1): copied dense first.
        Check(xs => xs[0].Select(2, 1).MatMul(xs[1].Select(0, 0)), [Random([4, 6, 2], dtype, 106), Random([3, 6, 5], dtype, 107)]);
        Check(xs => xs[0].MatMul(xs[1]), [Random([2, 3, 4], dtype, 108), Random([4, 5], dtype, 109)]);      // batched, B broadcast
        Check(xs => xs[0].MatMul(xs[1]), [Random([1, 6], dtype, 110), Random([6, 1], dtype, 111)]);        // 1×1
        Check(xs => xs[0].MatMul(xs[1]), [Random([3, 0], dtype, 112), Random([0, 4], dtype, 113)]);        // k = 0: zeros
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void GemmAccumulatesIntoAnOffsetOutputWithBeta(DType dtype)
    {
        var a = Random([3, 4], dtype, 120);
        var b = Random([4, 2], dtype, 121);
        var c = Random([10], dtype, 122);
        var cc = c.Clone();
        var cg = c.To(D);
        var ag = a.To(D);
        var bg = b.To(D);
        cc.Backend.Gemm(new MatrixOperand(a.Storage, 0, 4, 1), new MatrixOperand(b.Storage, 0, 1, 4), 3, 2, 2, cc.Storage, 3, 0.5);
        cg.Backend.Gemm(new MatrixOperand(ag.Storage, 0, 4, 1), new MatrixOperand(bg.Storage, 0, 1, 4), 3, 2, 2, cg.Storage, 3, 0.5);
        AssertClose(cc, cg, Tolerance(dtype));
    }
}
