using Dendrite.Backends;
using Dendrite.Gpu.Backend;
using Dendrite.Gpu.Kernels;
using Dendrite.Gpu.Kernels.Norm;
using Dendrite.NN;
using static Dendrite.Tests.Gpu.NnParity;

namespace Dendrite.Tests.Gpu;

/// <summary>
/// The GPU normalization kernels on ilgpu-cpu against the CPU backend: batch-norm statistics, normalization and
/// backward (training and evaluation, with and without γ and dx, several chunks per channel), layer norm forward and
/// backward through the ops (with and without γ, β), and the collective (group and warp) kernels forced on small shapes.
/// </summary>
[Trait("Category", "Gpu")]
public sealed class NormBackendTests
{
    // [N, C, S]: one chunk per channel; a single position per sample; several chunks (9000 > ThreadChunk) per channel.
    private static readonly (int N, int C, int S)[] BatchShapes = [(4, 3, 5), (6, 5, 1), (3, 2, 3000)];

    [Fact]
    public void BatchNormMatchesTheCpu()
    {
        foreach (var dtype in FloatTypes)
            foreach (var (n, c, s) in BatchShapes)
                CheckBatchNorm(dtype, n, c, s, NormPath.Auto, full: true);
    }

    [Fact]
    public void BatchNormGroupKernelsMatchTheCpu()
    {
        // ilgpu-cpu runs each barrier as a round of context switches: small shapes, [2, 2, 300] in 3 chunks per channel.
        foreach (var dtype in FloatTypes)
        {
            CheckBatchNorm(dtype, 4, 3, 5, NormPath.Collective, full: false);
            CheckBatchNorm(dtype, 2, 2, 300, NormPath.Collective, full: false);
        }
    }

    private static void CheckBatchNorm(DType dtype, int n, int c, int s, NormPath path, bool full)
    {
        string what = $"batch norm [{n}, {c}, {s}] {path}";
        var cpu = Backend(Device.Cpu);
        var gpu = (GpuBackend)Backend(D);
        // An offset mean makes the two-pass variance matter.
        var x = Host(Values(n * c * s, 41).Select(v => 3 + v).ToArray(), [n, c, s], dtype);
        var gy = Random([n, c, s], dtype, 42);
        var gamma = Random([c], DType.Float64, 43);
        var beta = Random([c], DType.Float64, 44);
        Tensor xd = x.To(D), gd = gy.To(D);

        var mean = Tensor.Zeros([c], DType.Float64);
        var variance = Tensor.Zeros([c], DType.Float64);
        cpu.BatchNormStatistics(x.Raw, n, c, s, mean.Raw, variance.Raw);
        var meanD = Tensor.Zeros([c], DType.Float64, device: D);
        var varianceD = Tensor.Zeros([c], DType.Float64, device: D);
        Statistics(gpu, xd, n, c, s, meanD, varianceD, path);
        Close(mean, meanD, what + " mean", dtype);
        Close(variance, varianceD, what + " variance", dtype);

        // σ⁻¹ from the CPU's variance, the same on both sides.
        var invStd = Host(Read(variance).Select(v => 1 / Math.Sqrt(v + 1e-5)).ToArray(), [c], DType.Float64);
        foreach (bool affine in new[] { true, false })
        {
            Tensor? ga = affine ? gamma : null, be = affine ? beta : null;
            var y = Tensor.Zeros([n, c, s], dtype);
            cpu.BatchNorm(x.Raw, n, c, s, mean.Raw, invStd.Raw, ga?.Raw, be?.Raw, y.Raw);
            var yd = Tensor.Zeros([n, c, s], dtype, device: D);
            gpu.BatchNorm(xd.Raw, n, c, s, mean.To(D).Raw, invStd.To(D).Raw, ga?.To(D).Raw, be?.To(D).Raw, yd.Raw);
            Close(y, yd, $"{what} y (affine {affine})");

            foreach (bool training in new[] { true, false })
                foreach (bool withDx in new[] { true, false })
                {
                    if (!full && (training != affine || withDx != affine))
                        continue;
                    string w = $"{what} backward (affine {affine}, training {training}, dx {withDx})";
                    var sumG = Tensor.Zeros([c], DType.Float64);
                    var sumGx = Tensor.Zeros([c], DType.Float64);
                    var dx = withDx ? Tensor.Zeros([n, c, s], dtype) : null;
                    cpu.BatchNormBackward(x.Raw, gy.Raw, n, c, s, mean.Raw, invStd.Raw, ga?.Raw, training, sumG.Raw, sumGx.Raw, dx?.Raw);
                    var sumGD = Tensor.Zeros([c], DType.Float64, device: D);
                    var sumGxD = Tensor.Zeros([c], DType.Float64, device: D);
                    var dxD = withDx ? Tensor.Zeros([n, c, s], dtype, device: D) : null;
                    Backward(gpu, xd, gd, n, c, s, mean.To(D), invStd.To(D), ga?.To(D), training, sumGD, sumGxD, dxD, path);
                    Close(sumG, sumGD, w + " sumG", dtype);
                    Close(sumGx, sumGxD, w + " sumGxhat", dtype);
                    if (withDx)
                        Close(dx!, dxD!, w + " dx");
                }
        }
    }

    private static void Statistics(GpuBackend gpu, Tensor x, int n, int c, int s, Tensor mean, Tensor variance, NormPath path)
    {
        if (path == NormPath.Auto)
            gpu.BatchNormStatistics(x.Raw, n, c, s, mean.Raw, variance.Raw);
        else if (x.DType == DType.Float32)
            BatchNormalization.Statistics<float, Float32Real>(gpu.Gpu, GpuBackend.Dense<float>(x.Raw), n, c, s, GpuBackend.Dense<double>(mean.Raw),
                GpuBackend.Dense<double>(variance.Raw), path);
        else
            BatchNormalization.Statistics<double, Float64Real>(gpu.Gpu, GpuBackend.Dense<double>(x.Raw), n, c, s, GpuBackend.Dense<double>(mean.Raw),
                GpuBackend.Dense<double>(variance.Raw), path);
    }

    private static void Backward(GpuBackend gpu, Tensor x, Tensor g, int n, int c, int s, Tensor mean, Tensor invStd, Tensor? gamma,
        bool training, Tensor sumG, Tensor sumGx, Tensor? dx, NormPath path)
    {
        if (path == NormPath.Auto)
        {
            gpu.BatchNormBackward(x.Raw, g.Raw, n, c, s, mean.Raw, invStd.Raw, gamma?.Raw, training, sumG.Raw, sumGx.Raw, dx?.Raw);
            return;
        }
        var ga = gamma is null ? (ILGPU.ArrayView<double>?)null : GpuBackend.Dense<double>(gamma.Raw);
        if (x.DType == DType.Float32)
            BatchNormalization.Backward<float, Float32Real>(gpu.Gpu, GpuBackend.Dense<float>(x.Raw), GpuBackend.Dense<float>(g.Raw), n, c, s,
                GpuBackend.Dense<double>(mean.Raw), GpuBackend.Dense<double>(invStd.Raw), ga, training, GpuBackend.Dense<double>(sumG.Raw),
                GpuBackend.Dense<double>(sumGx.Raw), dx is null ? null : GpuBackend.Dense<float>(dx.Raw), path);
        else
            BatchNormalization.Backward<double, Float64Real>(gpu.Gpu, GpuBackend.Dense<double>(x.Raw), GpuBackend.Dense<double>(g.Raw), n, c, s,
                GpuBackend.Dense<double>(mean.Raw), GpuBackend.Dense<double>(invStd.Raw), ga, training, GpuBackend.Dense<double>(sumG.Raw),
                GpuBackend.Dense<double>(sumGx.Raw), dx is null ? null : GpuBackend.Dense<double>(dx.Raw), path);
    }

    [Fact]
    public void LayerNormOpMatchesTheCpu()
    {
        // [rows, normalized]: several rows, one element per row, a 3-D input normalized over two dims, no rows.
        (int[] Shape, int[] Normalized)[] cases = [([4, 5], [5]), ([3, 1], [1]), ([2, 3, 4], [3, 4]), ([0, 6], [6])];
        foreach (var dtype in FloatTypes)
            foreach (var (shape, normalized) in cases)
                foreach (bool affine in new[] { true, false })
                {
                    string what = $"layer norm {string.Join('x', shape)} over {string.Join('x', normalized)} affine {affine}";
                    var (xc, xd) = Leaves(Host(Values(shape.Aggregate(1, (a, b) => a * b), 51).Select(v => 2 + v).ToArray(), shape, dtype));
                    var (wc, wd) = affine ? Leaves(Random(normalized, dtype, 52)) : (null, null);
                    var (bc, bd) = affine ? Leaves(Random(normalized, dtype, 53)) : (null, null);
                    var yc = F.LayerNorm(xc, normalized, wc, bc);
                    var yd = F.LayerNorm(xd, normalized, wd, bd);
                    Close(yc, yd, what + " y");
                    var g = Random(shape, dtype, 54);
                    yc.Backward(g);
                    yd.Backward(g.To(D));
                    Close(xc.Grad!, xd.Grad!, what + " dx");
                    if (affine)
                    {
                        Close(wc!.Grad!, wd!.Grad!, what + " dGamma");
                        Close(bc!.Grad!, bd!.Grad!, what + " dBeta");
                    }
                }
    }

    [Fact]
    public void LayerNormWarpKernelsAndChunkedColumnSumsMatchTheCpu()
    {
        // 6 rows of 40: lanes stride across a row twice (ilgpu-cpu runs every shuffle as a round of context switches);
        // 40 rows of 5: the parameter-gradient column sums split into 3 chunks of 16 rows.
        CheckCollectiveLayerNorm(6, 40, withDx: true);
        CheckCollectiveLayerNorm(40, 5, withDx: false);
    }

    private static void CheckCollectiveLayerNorm(int rows, int d, bool withDx)
    {
        var cpu = Backend(Device.Cpu);
        var gpu = (GpuBackend)Backend(D);
        foreach (var dtype in FloatTypes)
        {
            var x = Host(Values(rows * d, 61).Select(v => 1 + v).ToArray(), [rows, d], dtype);
            var gamma = Random([d], dtype, 62);
            var beta = Random([d], dtype, 63);
            var gy = Random([rows, d], dtype, 64);
            Tensor y = Tensor.Zeros([rows, d], dtype), mean = Tensor.Zeros([rows], dtype), inv = Tensor.Zeros([rows], dtype);
            cpu.LayerNorm(x.Raw, gamma.Raw, beta.Raw, rows, d, 1e-5, y.Raw, mean.Raw, inv.Raw);
            Tensor dx = Tensor.Zeros([rows, d], dtype), dGamma = Tensor.Zeros([d], dtype), dBeta = Tensor.Zeros([d], dtype);
            cpu.LayerNormBackward(x.Raw, gy.Raw, gamma.Raw, mean.Raw, inv.Raw, rows, d, dx.Raw, dGamma.Raw, dBeta.Raw);

            Tensor xd = x.To(D), gd = gamma.To(D), bd = beta.To(D), gyd = gy.To(D);
            Tensor yd = Tensor.Zeros([rows, d], dtype, device: D), meanD = Tensor.Zeros([rows], dtype, device: D);
            Tensor invD = Tensor.Zeros([rows], dtype, device: D), dxD = Tensor.Zeros([rows, d], dtype, device: D);
            Tensor dGammaD = Tensor.Zeros([d], dtype, device: D), dBetaD = Tensor.Zeros([d], dtype, device: D);
            if (dtype == DType.Float32)
            {
                LayerNormalization.Forward<float, Float32Real>(gpu.Gpu, V<float>(xd), V<float>(gd), V<float>(bd), rows, d, 1e-5, V<float>(yd),
                    V<float>(meanD), V<float>(invD), NormPath.Collective);
                LayerNormalization.Backward<float, Float32Real>(gpu.Gpu, V<float>(xd), V<float>(gyd), V<float>(gd), V<float>(meanD), V<float>(invD),
                    rows, d, withDx ? V<float>(dxD) : null, V<float>(dGammaD), V<float>(dBetaD), NormPath.Collective);
            }
            else
            {
                LayerNormalization.Forward<double, Float64Real>(gpu.Gpu, V<double>(xd), V<double>(gd), V<double>(bd), rows, d, 1e-5, V<double>(yd),
                    V<double>(meanD), V<double>(invD), NormPath.Collective);
                LayerNormalization.Backward<double, Float64Real>(gpu.Gpu, V<double>(xd), V<double>(gyd), V<double>(gd), V<double>(meanD),
                    V<double>(invD), rows, d, withDx ? V<double>(dxD) : null, V<double>(dGammaD), V<double>(dBetaD), NormPath.Collective);
            }
            Close(y, yd, "warp layer norm y");
            Close(mean, meanD, "warp layer norm mean");
            Close(inv, invD, "warp layer norm invStd");
            if (withDx)
                Close(dx, dxD, "warp layer norm dx");
            Close(dGamma, dGammaD, "chunked layer norm dGamma");
            Close(dBeta, dBetaD, "chunked layer norm dBeta");
        }
    }

    private static ILGPU.ArrayView<T> V<T>(Tensor t) where T : unmanaged => GpuBackend.Dense<T>(t.Raw);
}
