using Dendrite.Bench.Workloads;

namespace Dendrite.Bench;

/// <summary>Entry point: <c>Dendrite.Bench &lt;command&gt; [options]</c>.</summary>
public static class Program
{
    /// <summary>Benchmark commands by name; adding one is one line here plus its own file.</summary>
    private static readonly Dictionary<string, Func<string[], int>> Commands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["gemm"] = GemmBench.Run,
        ["w1"] = args => WorkloadDriver.Execute(Workload.All[0], args),
        ["w2"] = args => WorkloadDriver.Execute(Workload.All[1], args),
        ["w3"] = args => WorkloadDriver.Execute(Workload.All[2], args),
        ["w4"] = args => WorkloadDriver.Execute(Workload.All[3], args),
        ["w5"] = args => WorkloadDriver.Execute(Workload.All[4], args),
        ["w6"] = args => WorkloadDriver.Execute(Workload.All[5], args),
        ["phases"] = PhaseProfile.Run,
        ["report"] = CompareReport.Run,
        ["gpu-gemm"] = GpuGemmBench.Run,
        ["ddp"] = DdpBench.Run,
        ["ddp-w4"] = DdpBench.W4,
        ["ddp-allreduce"] = DdpBench.AllReduce,
    };

    /// <summary>Dispatches to the command named by the first argument.</summary>
    /// <param name="args">The command name followed by its options.</param>
    /// <returns>The process exit code.</returns>
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine($"usage: Dendrite.Bench <{string.Join('|', Commands.Keys)}> [options]");
            return 2;
        }
        return command(args[1..]);
    }
}
