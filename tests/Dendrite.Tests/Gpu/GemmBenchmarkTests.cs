using Dendrite.Gpu.Bench;
using Dendrite.Gpu.Kernels.Gemm;
using Dendrite.Gpu.Runtime;

namespace Dendrite.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class GemmBenchmarkTests
{
    [Fact]
    public void BenchmarkRunsAndChecksItsProduct()
    {
        var log = new StringWriter();
        var results = GemmBenchmark.Run(GpuRuntime.IlgpuCpu, [48, 64], warmups: 1, repeats: 3, log: log);
        Assert.Equal([48, 64], results.Select(r => r.N));
        Assert.All(results, r =>
        {
            Assert.Equal(GemmPath.Simple, r.Path);
            Assert.True(r.MedianMilliseconds > 0);
            Assert.True(r.RelativeError < 1e-4, $"n={r.N}: relative error {r.RelativeError}");
        });
        Assert.Contains("ilgpu-cpu sgemm n=   64", log.ToString());
    }
}
