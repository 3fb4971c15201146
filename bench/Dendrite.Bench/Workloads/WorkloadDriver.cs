using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Dendrite.Bench.Workloads;

/// <summary>
/// The parent/child process model of the twins' <c>common.main</c>. The parent re-launches this same binary once
/// per (repetition, thread count), thread counts interleaved within a repetition, so JIT warm-up and peak RSS are
/// per run. Each child prints its run's JSON object; the parent echoes it, then prints one summary line
/// <c>{"workload", "reps", "by_threads": {"1": {key: {median, min, max}, ..., "runs": [...]}}}</c>.
/// Options: <c>--threads 1 2</c> (default 1 2), <c>--reps N</c> (default 3), and the development overrides
/// <c>--epochs E</c>, <c>--steps S</c> (steps per epoch), <c>--test-samples T</c>.
/// </summary>
public static class WorkloadDriver
{
    /// <summary>Runs <paramref name="workload"/> as a parent (or as a child with <c>--child</c>).</summary>
    public static int Execute(Workload workload, string[] args)
    {
        int[] threads = Args.IntList(args, "--threads") ?? [1, 2];
        int reps = Args.Int(args, "--reps") ?? 3;
        var options = new WorkloadOptions(Args.Int(args, "--epochs"), Args.Int(args, "--steps"), Args.Int(args, "--test-samples"), Args.Device(args));
        if (threads.Length == 0 || threads.Any(t => t < 1) || reps < 1)
            throw new ArgumentException($"{workload.Command}: need --threads with counts >= 1 and --reps >= 1.");

        if (args.Contains("--child"))
        {
            var result = RunChild(workload, threads[0], options);
            Console.Out.WriteLine(result.ToJsonString());
            Console.Out.Flush();
            return 0;
        }

        var runs = threads.ToDictionary(t => t, _ => new List<JsonObject>());
        for (int rep = 0; rep < reps; rep++)
        {
            foreach (int t in threads)
            {
                var child = LaunchChild(workload, t, args);
                Console.Out.WriteLine(child.ToJsonString());
                Console.Out.Flush();
                var brief = string.Join(", ", workload.SummaryKeys.Where(k => child[k] is not null).Select(k => $"{k}: {child[k]}"));
                Console.Error.WriteLine($"[{workload.Name}] threads={t} rep={rep} {{{brief}}}");
                runs[t].Add(child);
            }
        }
        Console.Out.WriteLine(Summarize(workload, reps, runs).ToJsonString());
        return 0;
    }

    /// <summary>One run in this process, with peak RSS and runtime details added (what a child prints).</summary>
    public static JsonObject RunChild(Workload workload, int threads, WorkloadOptions options)
    {
        Threads.Count = threads;
        var result = workload.Run(threads, options);
        result["peak_rss_mib"] ??= ProcessMemory.PeakRssMib();
        result["dotnet_version"] = Environment.Version.ToString();
        result["dendrite_threads"] = Threads.Count;
        result["loadavg_1m_at_end"] = ProcessMemory.LoadAverage1m();
        if (options.Device is { } device)
            result["device"] = device.ToString();
        if (options.IsShortened)
            result["shortened"] = $"epochs={options.Epochs}, steps={options.StepsPerEpoch}, test_samples={options.TestSamples}";
        return result;
    }

    private static JsonObject LaunchChild(Workload workload, int threads, string[] parentArgs)
    {
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        // Same binary: the apphost itself, or `dotnet Dendrite.Bench.dll` when started through the muxer.
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this process's executable to re-launch it.");
        psi.FileName = host;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            psi.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        psi.ArgumentList.Add(workload.Command);
        psi.ArgumentList.Add("--child");
        psi.ArgumentList.Add("--threads");
        psi.ArgumentList.Add(threads.ToString(CultureInfo.InvariantCulture));
        foreach (string name in (string[])["--epochs", "--steps", "--test-samples"])
        {
            if (Args.Int(parentArgs, name) is int v)
            {
                psi.ArgumentList.Add(name);
                psi.ArgumentList.Add(v.ToString(CultureInfo.InvariantCulture));
            }
        }
        if (Args.Text(parentArgs, "--device") is { } device)
        {
            psi.ArgumentList.Add("--device");
            psi.ArgumentList.Add(device);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {host}.");
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{workload.Command} child (threads {threads}) exited with code {process.ExitCode}.");
        string last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        return JsonNode.Parse(last)!.AsObject();
    }

    private static JsonObject Summarize(Workload workload, int reps, Dictionary<int, List<JsonObject>> runs)
    {
        var byThreads = new JsonObject();
        foreach (var (t, rs) in runs)
        {
            var entry = new JsonObject();
            foreach (string key in workload.SummaryKeys)
            {
                if (rs[0][key] is null)
                    continue;
                var values = rs.Select(r => r[key]!.GetValue<double>()).ToArray();
                entry[key] = new JsonObject { ["median"] = Stats.Median(values), ["min"] = values.Min(), ["max"] = values.Max() };
            }
            entry["runs"] = new JsonArray(rs.Select(r => (JsonNode)r.DeepClone()).ToArray());
            byThreads[t.ToString(CultureInfo.InvariantCulture)] = entry;
        }
        return new JsonObject { ["workload"] = workload.Name, ["reps"] = reps, ["by_threads"] = byThreads };
    }
}
