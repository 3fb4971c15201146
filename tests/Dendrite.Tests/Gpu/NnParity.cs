using Dendrite.Backends;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// Shared pieces of the GPU NN backend tests: deterministic inputs, leaves on the CPU and on ilgpu-cpu, and the
/// comparison of a device result with the CPU's under the parity suite's tolerances (NaN must match NaN).
/// </summary>
internal static class NnParity
{
    public static readonly Device D = Device.IlgpuCpu;

    /// <summary>Values in [−1, 1) (or small integers when <paramref name="distinct"/> &gt; 0, to make ties), from a seed.</summary>
    public static double[] Values(int count, int seed, int distinct = 0)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(_ => distinct > 0 ? rng.Next(distinct) - distinct / 2 : rng.NextDouble() * 2 - 1)
            .ToArray();
    }

    /// <summary>A CPU tensor of <paramref name="shape"/> in <paramref name="dtype"/> holding <paramref name="values"/>.</summary>
    public static Tensor Host(double[] values, int[] shape, DType dtype) =>
        dtype == DType.Float32 ? Tensor.FromArray(values.Select(v => (float)v).ToArray(), shape) : Tensor.FromArray(values, shape);

    /// <summary>A CPU tensor of random values.</summary>
    public static Tensor Random(int[] shape, DType dtype, int seed, int distinct = 0) =>
        Host(Values(shape.Aggregate(1, (a, b) => a * b), seed, distinct), shape, dtype);

    /// <summary>The tensor on the CPU and a copy on ilgpu-cpu, both leaves that require grad.</summary>
    public static (Tensor Cpu, Tensor Dev) Leaves(Tensor host)
    {
        var dev = host.To(D);
        host.RequiresGrad = true;
        dev.RequiresGrad = true;
        return (host, dev);
    }

    /// <summary>The elements as doubles (a device tensor is read back).</summary>
    public static double[] Read(Tensor t) =>
        t.DType == DType.Float32 ? t.ToArray<float>().Select(v => (double)v).ToArray() : t.ToArray<double>();

    /// <summary>
    /// Asserts |actual − expected| ≤ rtol·|expected| + atol element by element (float64: 1e-10, 1e-12; float32: 1e-4,
    /// 1e-5), with NaN only against NaN and infinities equal.
    /// </summary>
    public static void Close(Tensor expected, Tensor actual, string what) => Close(expected, actual, what, expected.DType);

    /// <summary>As <see cref="Close(Tensor, Tensor, string)"/> with the tolerance of <paramref name="computedIn"/> (Float64 results computed in float32).</summary>
    public static void Close(Tensor expected, Tensor actual, string what, DType computedIn)
    {
        Assert.Equal(expected.ShapeArray, actual.ShapeArray);
        Assert.Equal(expected.DType, actual.DType);
        Close(Read(expected), Read(actual), computedIn, what);
    }

    /// <inheritdoc cref="Close(Tensor, Tensor, string)"/>
    public static void Close(double[] expected, double[] actual, DType dtype, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        (double rtol, double atol) = dtype == DType.Float64 ? (1e-10, 1e-12) : (1e-4, 1e-5);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : double.IsInfinity(e) ? e == a : Math.Abs(a - e) <= rtol * Math.Abs(e) + atol;
            Assert.True(ok, $"{what} ({dtype}) element {i}: expected {e:R}, got {a:R}");
        }
    }

    /// <summary>The backend of a device.</summary>
    public static IBackend Backend(Device device) => BackendRegistry.Get(device);

    /// <summary>Both floating dtypes.</summary>
    public static readonly DType[] FloatTypes = [DType.Float32, DType.Float64];
}
