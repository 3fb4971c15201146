using System.Globalization;

namespace Dendrite.Bench.Workloads;

/// <summary>Command-line option parsing shared by the bench commands.</summary>
public static class Args
{
    /// <summary>The integers after <paramref name="name"/> up to the next option, or null when absent.</summary>
    public static int[]? IntList(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0)
            return null;
        var values = new List<int>();
        for (int i = at + 1; i < args.Length && !args[i].StartsWith("--", StringComparison.Ordinal); i++)
            values.Add(int.Parse(args[i], CultureInfo.InvariantCulture));
        if (values.Count == 0)
            throw new ArgumentException($"Option {name} needs at least one integer.");
        return values.ToArray();
    }

    /// <summary>The single integer after <paramref name="name"/>, or null when absent.</summary>
    public static int? Int(string[] args, string name) => IntList(args, name) is { } v ? v[0] : null;

    /// <summary>The text after <paramref name="name"/>, or null when absent.</summary>
    public static string? Text(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0)
            return null;
        if (at + 1 >= args.Length || args[at + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"Option {name} needs a value.");
        return args[at + 1];
    }

    /// <summary>The device after <c>--device</c> (cpu, cuda, cuda:N, ilgpu-cpu), or null when absent.</summary>
    public static Device? Device(string[] args) => Text(args, "--device") is { } d ? Dendrite.Device.Parse(d) : null;
}
