using System.Reflection;
using Dendrite.Gpu.Runtime;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;

namespace Dendrite.Gpu.Kernels;

/// <summary>The outcome of compiling one kernel instance to PTX.</summary>
/// <param name="Kernel">The closed kernel method.</param>
/// <param name="Ptx">The PTX text (empty on failure).</param>
/// <param name="Error">Why the kernel cannot run on CUDA, or null.</param>
internal sealed record PtxResult(MethodInfo Kernel, string Ptx, string? Error);

/// <summary>
/// Compiles kernels to PTX with ILGPU's PTX backend, which needs no GPU and no driver: the check that every kernel
/// of <see cref="KernelCatalog"/> can run on CUDA, done on machines without one.
/// </summary>
/// <remarks>
/// A kernel fails when ILGPU cannot compile it, when its PTX calls a function nobody defines (ILGPU emits an
/// <c>.extern .func</c> for BCL methods it has no implementation of, e.g. <c>MathF.FusedMultiplyAdd</c>, and the
/// driver's JIT would reject the module), or when it is marked <see cref="GpuKernelAttribute.RegistersOnly"/> and
/// declares local memory. A failed compilation can leave ILGPU's context unusable for later kernels, so after a
/// failure the check continues in a fresh context.
/// </remarks>
internal static class PtxCheck
{
    /// <summary>Compiles <paramref name="kernels"/> for <paramref name="architecture"/> (default sm_90, PTX ISA 7.8).</summary>
    public static IReadOnlyList<PtxResult> Compile(IEnumerable<MethodInfo> kernels, CudaArchitecture? architecture = null,
        CudaInstructionSet? instructionSet = null)
    {
        var arch = architecture ?? CudaArchitecture.SM_90;
        var isa = instructionSet ?? CudaInstructionSet.ISA_78;
        var results = new List<PtxResult>();
        Context? context = null;
        PTXBackend? backend = null;
        try
        {
            foreach (var kernel in kernels)
            {
                if (backend is null)
                {
                    context = Context.Create(builder => GpuRuntime.Configure(builder));
                    backend = new PTXBackend(context, new CudaCapabilityContext(arch), arch, isa, nvvmAPI: null);
                }
                var result = CompileOne(backend, kernel);
                results.Add(result);
                if (result.Error is not null && result.Ptx.Length == 0)
                {
                    backend.Dispose();
                    context!.Dispose();
                    backend = null;
                    context = null;
                }
            }
        }
        finally
        {
            backend?.Dispose();
            context?.Dispose();
        }
        return results;
    }

    private static PtxResult CompileOne(PTXBackend backend, MethodInfo kernel)
    {
        string ptx;
        try
        {
            var entry = EntryPointDescription.FromExplicitlyGroupedKernel(kernel);
            var compiled = (PTXCompiledKernel)backend.Compile(entry, default);
            ptx = compiled.PTXAssembly;
        }
        catch (Exception e)
        {
            string message = e is AggregateException a ? string.Join("; ", a.InnerExceptions.Select(x => x.Message)) : e.Message;
            if (e.InnerException is not null && e is not AggregateException)
                message += " -> " + e.InnerException.Message;
            return new PtxResult(kernel, "", $"ILGPU cannot compile it: {message}");
        }
        if (!ptx.Contains(".entry", StringComparison.Ordinal))
            return new PtxResult(kernel, ptx, "the PTX has no .entry");
        var externs = ptx.Split('\n').Where(l => l.Contains(".extern .func", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        if (externs.Count > 0)
            return new PtxResult(kernel, ptx, $"the PTX calls undefined functions (the driver would reject it): {string.Join(" | ", externs)}");
        if (kernel.GetCustomAttribute<GpuKernelAttribute>() is { RegistersOnly: true }
            || kernel.IsGenericMethod && kernel.GetGenericMethodDefinition().GetCustomAttribute<GpuKernelAttribute>() is { RegistersOnly: true })
        {
            if (ptx.Contains(".local", StringComparison.Ordinal))
                return new PtxResult(kernel, ptx, "the kernel is RegistersOnly but its PTX declares local memory (a spilled register tile)");
        }
        return new PtxResult(kernel, ptx, null);
    }
}
