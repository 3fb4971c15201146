using Dendrite.Gpu.Runtime;

namespace Dendrite.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class GpuRuntimeTests
{
    [Fact]
    public void CudaAvailabilityNeverThrowsAndExplainsItself()
    {
        var availability = GpuRuntime.CudaAvailability;
        Assert.False(string.IsNullOrWhiteSpace(availability.Reason));
        if (availability.Available)
        {
            Assert.True(GpuRuntime.CudaDeviceCount > 0);
            Assert.All(GpuRuntime.CudaDevices, d => Assert.True(d.ComputeMajor >= 3));
        }
        else
        {
            Assert.Equal(0, GpuRuntime.CudaDeviceCount);
            var e = Assert.Throws<InvalidOperationException>(() => GpuRuntime.Cuda(0));
            Assert.Contains("cuda:0", e.Message);
            Assert.Contains(availability.Reason, e.Message);
        }
    }

    [Fact]
    public void DriverLibraryIsLookedUpUnderTheVersionedNameToo()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(["libcuda.so.1", "libcuda.so"], CudaDriver.CandidateNames);
            Assert.Contains("/usr/lib/x86_64-linux-gnu/libcuda.so.1", CudaDriver.DefaultCandidates());
        }
    }

    [Fact]
    public void MissingLibraryAndLibraryWithoutTheDriverApiAreReportedAsSuch()
    {
        var missing = CudaDriver.Locate(["/nonexistent/libcuda.so.1", "libdendrite-no-such-library.so.1"]);
        Assert.Equal(IntPtr.Zero, missing.Handle);
        var (ok, detail, count) = CudaDriver.ProbeLibrary(missing.Handle, missing.LoadedFrom, missing.Tried);
        Assert.False(ok);
        Assert.Equal(0, count);
        Assert.Contains("no NVIDIA driver library found", detail);
        Assert.Contains("libdendrite-no-such-library.so.1", detail);

        // A real shared library under the versioned driver name loads, but has no cuInit: a clear message, no crash.
        if (!OperatingSystem.IsLinux())
            return;
        string? someLibrary = new[] { "/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6", "/lib64/libm.so.6" }
            .FirstOrDefault(File.Exists);
        if (someLibrary is null)
            return;
        string dir = Directory.CreateTempSubdirectory("dendrite-fake-cuda").FullName;
        try
        {
            string fake = Path.Combine(dir, "libcuda.so.1");
            File.Copy(someLibrary, fake);
            var found = CudaDriver.Locate([Path.Combine(dir, "libcuda.so"), fake]);
            Assert.NotEqual(IntPtr.Zero, found.Handle);
            Assert.Equal(fake, found.LoadedFrom);
            var probe = CudaDriver.ProbeLibrary(found.Handle, found.LoadedFrom, found.Tried);
            Assert.False(probe.Ok);
            Assert.Contains("lacks the CUDA driver API", probe.Detail);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void IlgpuCpuBehavesLikeAnNvidiaGpu()
    {
        var device = GpuRuntime.IlgpuCpu;
        Assert.Equal("ilgpu-cpu", device.Name);
        Assert.True(device.IsCpu);
        Assert.Equal(32, device.WarpSize);
        Assert.Equal(256, device.MaxGroupSize);
        Assert.Same(device, GpuRuntime.Get("ilgpu-cpu"));
        Assert.Throws<ArgumentException>(() => GpuRuntime.Get("tpu"));
    }
}
