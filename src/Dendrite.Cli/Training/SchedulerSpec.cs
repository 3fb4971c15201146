using System.Globalization;

namespace Dendrite.Cli.Training;

/// <summary>A learning-rate schedule as written on the command line: <c>step:EVERY:GAMMA</c>, <c>cosine:T</c> or <c>plateau</c>.</summary>
/// <param name="Kind">step, cosine or plateau.</param>
/// <param name="Every">Epochs between steps (step) or the half period T (cosine).</param>
/// <param name="Gamma">The factor applied at each step (step).</param>
public sealed record SchedulerSpec(string Kind, int Every, double Gamma)
{
    /// <summary>What a valid spec looks like, for messages.</summary>
    public const string Forms = "step:EVERY:GAMMA (e.g. step:5:0.5, EVERY ≥ 1, 0 < GAMMA ≤ 1), cosine:T (T ≥ 1) or plateau";

    /// <summary>Parses a spec; null when it is not valid.</summary>
    public static SchedulerSpec? Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(':');
        static bool Int(string s, out int v) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out v) && v >= 1;
        switch (parts[0])
        {
            case "step" when parts.Length == 3 && Int(parts[1], out int every)
                                               && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double gamma)
                                               && gamma > 0 && gamma <= 1:
                return new SchedulerSpec("step", every, gamma);
            case "cosine" when parts.Length == 2 && Int(parts[1], out int t):
                return new SchedulerSpec("cosine", t, 0);
            case "plateau" when parts.Length == 1:
                return new SchedulerSpec("plateau", 0, 0);
            default:
                return null;
        }
    }
}
