using System.Globalization;

namespace Dendrite.Bench.Workloads;

/// <summary>Process memory and machine load as the twins report them (Linux /proc; NaN elsewhere).</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size so far (VmHWM, the same number as ru_maxrss), in MiB, one decimal.</summary>
    public static double PeakRssMib()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
            return double.NaN;
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                continue;
            // "VmHWM:     123456 kB"
            string kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
            return Math.Round(long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0, 1);
        }
        return double.NaN;
    }

    /// <summary>The 1-minute load average, as in the twins' <c>loadavg_1m_at_end</c>.</summary>
    public static double LoadAverage1m()
    {
        const string path = "/proc/loadavg";
        if (!File.Exists(path))
            return double.NaN;
        return double.Parse(File.ReadAllText(path).Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
