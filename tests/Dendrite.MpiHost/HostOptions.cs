using System.Globalization;

namespace Dendrite.MpiHost;

/// <summary>The host's command line: a scenario name and <c>--key value</c> pairs.</summary>
internal sealed class HostOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private HostOptions(string scenario) => Scenario = scenario;

    public string Scenario { get; }

    public static HostOptions Parse(string[] args)
    {
        if (args.Length == 0)
            throw new ArgumentException("usage: Dendrite.MpiHost <collectives|train|fail> [--key value ...]");
        var o = new HostOptions(args[0]);
        for (int i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected --key value pairs after the scenario, got '{args[i]}'");
            o._values[args[i][2..]] = args[i + 1];
        }
        return o;
    }

    public string String(string key, string fallback) => _values.TryGetValue(key, out var v) ? v : fallback;

    public int Int(string key, int fallback) =>
        _values.TryGetValue(key, out var v) ? int.Parse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
}
