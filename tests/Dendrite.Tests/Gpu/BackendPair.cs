using Dendrite.Backends;
using Dendrite.Backends.Cpu;
using Dendrite.Gpu.Backend;
using Dendrite.Gpu.Kernels.Reductions;
using Dendrite.Gpu.Runtime;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// Runs a backend method on the CPU backend (the reference) and on a GPU backend with the same inputs, for tests that
/// compare backend kernels directly: uploads, outputs pre-filled with NaN (so an element a kernel forgets to write
/// shows), downloads, and element-wise comparisons that accept matching NaNs.
/// </summary>
internal static class BackendPair
{
    public static IBackend Cpu => CpuBackend.Instance;

    /// <summary>The shared ilgpu-cpu backend (automatic, barrier-free teams).</summary>
    public static IBackend Ilgpu => BackendRegistry.Get(Device.IlgpuCpu);

    private static readonly Lazy<GpuDevice> PrivateDevice = new(GpuRuntime.CreateIlgpuCpu);

    /// <summary>
    /// A GPU backend on a private ilgpu-cpu device (256-thread groups allowed) that forces <paramref name="team"/>, for
    /// the collective kernels CUDA runs.
    /// </summary>
    public static IBackend Forced(TeamKind team) => new GpuBackend(Device.IlgpuCpu, PrivateDevice.Value) { ForcedTeam = team };

    /// <summary>A dense view of a copy of <paramref name="data"/> on <paramref name="backend"/>.</summary>
    public static StorageView Put(IBackend backend, Array data, params int[] shape) =>
        StorageView.Dense(backend.FromHost((Array)data.Clone()), shape.Length == 0 && data.Length != 1 ? [data.Length] : shape);

    /// <summary>A dense output of <paramref name="shape"/> filled with NaN (floating) or −1 (Int64).</summary>
    public static StorageView Output(IBackend backend, DType dtype, params int[] shape)
    {
        var v = StorageView.Dense(backend.Allocate(dtype, ShapeUtil.Numel(shape), zeroed: false), shape);
        backend.Fill(v, dtype == DType.Int64 ? -1 : double.NaN);
        return v;
    }

    /// <summary>The elements of <paramref name="v"/> as doubles.</summary>
    public static double[] Get(IBackend backend, StorageView v)
    {
        switch (v.DType)
        {
            case DType.Float32:
                var f = new float[v.Numel];
                backend.CopyToHost(v, f, 0);
                return Array.ConvertAll(f, x => (double)x);
            case DType.Float64:
                var d = new double[v.Numel];
                backend.CopyToHost(v, d, 0);
                return d;
            default:
                var l = new long[v.Numel];
                backend.CopyToHost(v, l, 0);
                return Array.ConvertAll(l, x => (double)x);
        }
    }

    /// <summary>Asserts |a − e| ≤ rel·|e| + abs for every element (NaN matches NaN, ±∞ must match exactly).</summary>
    public static void Close(double[] expected, double[] actual, double rel, double abs, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} elements, expected {expected.Length}.");
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : e == a || Math.Abs(a - e) <= rel * Math.Abs(e) + abs;
            Assert.True(ok, $"{what}: element {i} is {a:R}, the CPU gives {e:R}.");
        }
    }

    /// <summary>The tolerance of a dtype: float64 ~1e-12 relative, float32 ~1e-5.</summary>
    public static (double Rel, double Abs) Tolerance(DType dtype) => dtype == DType.Float64 ? (1e-12, 1e-14) : (2e-6, 1e-6);

    /// <summary>Compares output <paramref name="cpuView"/> with <paramref name="gpuView"/> at the dtype's tolerance.</summary>
    public static void Same(IBackend gpu, StorageView cpuView, StorageView gpuView, string what)
    {
        var (rel, abs) = Tolerance(cpuView.DType);
        Close(Get(Cpu, cpuView), Get(gpu, gpuView), rel, abs, what);
    }

    /// <summary><paramref name="values"/> in <paramref name="dtype"/> (float[] or double[]).</summary>
    public static Array Typed(DType dtype, double[] values) =>
        dtype == DType.Float32 ? Array.ConvertAll(values, v => (float)v) : (double[])values.Clone();

    /// <summary>n uniform values in [low, high).</summary>
    public static double[] Uniform(int n, int seed, double low, double high)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => low + (high - low) * rng.NextDouble()).ToArray();
    }
}
