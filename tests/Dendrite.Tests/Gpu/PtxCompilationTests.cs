using System.Reflection;
using System.Reflection.Emit;
using Dendrite.Gpu.Kernels;
using Dendrite.Gpu.Runtime;
using ILGPU;
using Xunit.Abstractions;

namespace Dendrite.Tests.Gpu;

[Trait("Category", "Gpu")]
public sealed class PtxCompilationTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryKernelCompilesToPtxForSm90()
    {
        var kernels = KernelCatalog.All;
        Assert.NotEmpty(kernels);
        var results = PtxCheck.Compile(kernels);
        // DENDRITE_PTX_DUMP=<dir> keeps the PTX of every kernel for inspection.
        string? dump = Environment.GetEnvironmentVariable("DENDRITE_PTX_DUMP");
        if (!string.IsNullOrEmpty(dump))
        {
            Directory.CreateDirectory(dump);
            foreach (var r in results)
                File.WriteAllText(Path.Combine(dump, string.Concat(KernelCatalog.Describe(r.Kernel).Select(ch => char.IsLetterOrDigit(ch) ? ch : '_')) + ".ptx"), r.Ptx);
        }
        foreach (var r in results)
            output.WriteLine($"{(r.Error is null ? "ok  " : "FAIL")} {KernelCatalog.Describe(r.Kernel)}  {r.Ptx.Length} chars  {r.Error}");
        var failures = results.Where(r => r.Error is not null).Select(r => $"{KernelCatalog.Describe(r.Kernel)}: {r.Error}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void TiledGemmKeepsItsTileInRegistersAndReadsSharedMemoryInVectors()
    {
        // The speed of the CUDA GEMM rests on these: no local memory, 4 vector shared loads per 64 multiply-adds
        // (one ld.shared.v4.f32 per 4 rows or columns), one barrier per k step.
        var kernel = KernelCatalog.All.Single(k => KernelCatalog.Describe(k) == "GemmKernels.Tiled<Single, Tile128>");
        string ptx = PtxCheck.Compile([kernel]).Single().Ptx;
        Assert.DoesNotContain(".local", ptx);
        Assert.DoesNotContain("ld.shared.f32", ptx);
        Assert.Equal(32, ptx.Split("ld.shared.v4.f32").Length - 1);
        Assert.True(ptx.Split("mul.f32").Length - 1 >= 8 * 64);     // the unrolled k loop: 8 rank-1 updates of 64
        Assert.Contains(".shared .align 16", ptx);
    }

    [Fact]
    public void TheCheckCatchesWhatTheDriverWouldReject()
    {
        // MathF.FusedMultiplyAdd has no ILGPU implementation: the PTX calls an undefined function.
        var results = PtxCheck.Compile([typeof(PtxCompilationTests).GetMethod(nameof(UndefinedCallKernel), BindingFlags.NonPublic | BindingFlags.Static)!]);
        Assert.Contains("undefined functions", results.Single().Error);
    }

    private static void UndefinedCallKernel(ArrayView<float> x) => x[Grid.GlobalIndex.X] = MathF.FusedMultiplyAdd(x[0], x[1], x[2]);

    [Fact]
    public void KernelCacheRefusesKernelsTheCatalogDoesNotList()
    {
        var e = Assert.Throws<InvalidOperationException>(() =>
            GpuRuntime.IlgpuCpu.Kernel<ArrayView<float>>(UndefinedCallKernel));
        Assert.Contains("not registered in KernelCatalog", e.Message);
        Assert.Contains("[GpuKernel]", e.Message);
    }

    private static readonly HashSet<string> IntrinsicTypes = ["Grid", "Group", "Warp", "SharedMemory", "LocalMemory", "Atomic"];

    /// <summary>
    /// The guard that keeps a new kernel from escaping the PTX test: every method of Dendrite.Gpu that touches an
    /// ILGPU thread intrinsic (grid/group/warp indices, barriers, shuffles, shared memory) must be a [GpuKernel]
    /// (and so in the catalog) or a [DeviceFunction] helper; every [GpuKernel] must be explicitly grouped and have
    /// at least one instance in the catalog.
    /// </summary>
    [Fact]
    public void EveryMethodUsingGpuIntrinsicsIsARegisteredKernelOrDeviceFunction()
    {
        var assembly = typeof(KernelCatalog).Assembly;
        var offenders = new List<string>();
        var catalog = KernelCatalog.All.Select(m => m.IsGenericMethod ? m.GetGenericMethodDefinition() : m).ToHashSet();
        foreach (var type in assembly.GetTypes())
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static |
                                               BindingFlags.Instance | BindingFlags.DeclaredOnly))
        {
            bool isKernel = method.GetCustomAttribute<GpuKernelAttribute>() is not null;
            bool isHelper = method.GetCustomAttribute<DeviceFunctionAttribute>() is not null;
            if (isKernel)
            {
                if (method.GetParameters().FirstOrDefault()?.ParameterType is { } first
                    && (first == typeof(Index1D) || first == typeof(Index2D) || first == typeof(Index3D)))
                    offenders.Add($"{type.Name}.{method.Name}: kernels must be explicitly grouped (no index parameter)");
                if (!catalog.Contains(method))
                    offenders.Add($"{type.Name}.{method.Name}: [GpuKernel] without any instance in the catalog");
                continue;
            }
            if (!isHelper && UsesIntrinsics(method))
                offenders.Add($"{type.FullName}.{method.Name}: uses GPU intrinsics but is neither [GpuKernel] nor [DeviceFunction]");
        }
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static bool UsesIntrinsics(MethodInfo method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
            return false;
        var module = method.Module;
        Type[]? typeArgs = method.DeclaringType!.IsGenericType ? method.DeclaringType.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int pc = 0; pc < il.Length;)
        {
            short value = il[pc] == 0xFE ? (short)(0xFE00 | il[pc + 1]) : il[pc];
            pc += il[pc] == 0xFE ? 2 : 1;
            var op = OpCodesByValue[value];
            int size = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, pc),
                _ => 4,
            };
            if (op.OperandType == OperandType.InlineMethod)
            {
                var target = module.ResolveMethod(BitConverter.ToInt32(il, pc), typeArgs, methodArgs);
                if (target?.DeclaringType is { Namespace: "ILGPU" } t && IntrinsicTypes.Contains(t.Name))
                    return true;
            }
            pc += size;
        }
        return false;
    }
}
