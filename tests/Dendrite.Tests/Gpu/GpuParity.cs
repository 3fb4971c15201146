using System.Globalization;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// Runs a tensor-level computation on the CPU and on <c>ilgpu-cpu</c> from the same inputs and compares the outputs
/// and the gradients of sum(output·g) elementwise: |gpu − cpu| ≤ rtol·(|cpu| + max|cpu|·1e-2) + atol (atol: 1e-7 in
/// float32, where the CPU's vectorized tanh and exp err by about 2⁻²⁴ absolute near 0; 1e-15 in float64), NaN
/// matching NaN, and exact equality for integer and bool results.
/// </summary>
internal static class GpuParity
{
    /// <summary>The device under test.</summary>
    public static readonly Device D = Device.IlgpuCpu;

    /// <summary>
    /// The default relative tolerance: a few ulp of each floating type, times the ~100 that formulas from a rounded
    /// output can amplify an ulp by (1 − tanh² near tanh = ±1).
    /// </summary>
    public static double Tolerance(DType dtype) => dtype == DType.Float32 ? 3e-5 : 1e-12;

    /// <summary>Normal values (scaled) of the given shape on the CPU, deterministic per seed.</summary>
    public static Tensor Random(int[] shape, DType dtype, int seed, double scale = 2)
    {
        var rng = new Random(seed);
        int n = 1;
        foreach (int s in shape)
            n *= s;
        var data = new double[n];
        for (int i = 0; i < n; i++)
            data[i] = scale * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return Tensor.FromArray(data, shape).Reshape(shape).To(dtype);
    }

    /// <summary>A tensor of the given values on the CPU.</summary>
    public static Tensor Values(double[] values, DType dtype, params int[] shape) =>
        Tensor.FromArray(values, shape.Length == 0 && values.Length != 1 ? [values.Length] : shape).To(dtype);

    /// <summary>
    /// f on CPU copies and on ilgpu-cpu copies of <paramref name="inputs"/> (floating inputs require grad when
    /// <paramref name="grads"/>); compares the outputs and, when the output requires grad, every input gradient.
    /// </summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, bool grads = true, double? rtol = null, int gradSeed = 99)
    {
        var cpu = inputs.Select(t => Leaf(t.Detach().Clone(), grads)).ToArray();
        var gpu = inputs.Select(t => Leaf(t.Detach().To(D), grads)).ToArray();
        var yc = f(cpu);
        var yg = f(gpu);
        Assert.Equal(D, yg.Device);
        double tol = rtol ?? Tolerance(yc.DType);
        AssertClose(yc, yg, tol, "output");
        if (!grads || !yc.RequiresGrad)
            return;
        var g = Random(yc.ShapeArray, yc.DType, gradSeed);
        yc.Backward(g);
        yg.Backward(g.To(D));
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!cpu[i].RequiresGrad)
                continue;
            Assert.Equal(cpu[i].Grad is null, gpu[i].Grad is null);
            if (cpu[i].Grad is null)
                continue;
            Assert.Equal(D, gpu[i].Grad!.Device);
            AssertClose(cpu[i].Grad!, gpu[i].Grad!, tol, $"gradient of input {i}");
        }
    }

    /// <summary>f of one input (see <see cref="Check(Func{Tensor[], Tensor}, Tensor[], bool, double?, int)"/>).</summary>
    public static void Check(Func<Tensor, Tensor> f, Tensor x, bool grads = true, double? rtol = null) =>
        Check(xs => f(xs[0]), [x], grads, rtol);

    /// <summary>Elementwise comparison of a CPU reference and a device result (copied to the host).</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol, string what = "result")
    {
        Assert.Equal(expected.ShapeArray, actual.ShapeArray);
        Assert.Equal(expected.DType, actual.DType);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        bool exact = !expected.DType.IsFloatingPoint();
        double scale = e.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max() * 1e-2;
        double atol = rtol == 0 ? 0 : expected.DType == DType.Float32 ? 1e-7 : 1e-15;
        for (int i = 0; i < e.Length; i++)
        {
            bool ok = exact ? e[i] == a[i]
                : double.IsNaN(e[i]) ? double.IsNaN(a[i])
                : e[i] == a[i] || Math.Abs(a[i] - e[i]) <= rtol * (Math.Abs(e[i]) + scale) + atol;
            if (!ok)
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"{what} [{expected.DType}] differs at flat index {i}: ilgpu-cpu {a[i]:R}, cpu {e[i]:R} (rtol {rtol})."));
        }
    }

    private static Tensor Leaf(Tensor t, bool grads)
    {
        if (grads && t.DType.IsFloatingPoint())
            t.RequiresGrad = true;
        return t;
    }
}
