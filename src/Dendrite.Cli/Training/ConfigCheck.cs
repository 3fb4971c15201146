using System.Globalization;

namespace Dendrite.Cli.Training;

/// <summary>
/// Checks configuration values one line each, and turns the first bad one into a <see cref="Commands.UsageException"/>
/// naming where it came from (<c>--lr</c>, or <c>"lr" in cfg.json</c>), the value and what is allowed.
/// </summary>
/// <param name="where">Describes a config key (camelCase) as the user wrote it.</param>
public sealed class ConfigCheck(Func<string, string> where)
{
    /// <summary>Fails unless <paramref name="ok"/>: "&lt;where&gt; is &lt;value&gt;, but must be &lt;allowed&gt;".</summary>
    public ConfigCheck Require(string key, object? value, bool ok, string allowed)
    {
        if (!ok)
            throw new Commands.UsageException($"{where(key)} is {Show(value)}, but must be {allowed}");
        return this;
    }

    /// <summary>Fails when <paramref name="problem"/> is not null: "&lt;where&gt; is &lt;value&gt;: &lt;problem&gt;".</summary>
    public ConfigCheck Problem(string key, object? value, string? problem)
    {
        if (problem is not null)
            throw new Commands.UsageException($"{where(key)} is {Show(value)}: {problem}");
        return this;
    }

    /// <summary>Fails unless the value is one of <paramref name="allowed"/>.</summary>
    public ConfigCheck OneOf(string key, string? value, IReadOnlyList<string> allowed) =>
        Require(key, value, value is not null && allowed.Contains(value), "one of " + string.Join(", ", allowed));

    /// <summary>Fails unless the value is a finite number greater than <paramref name="min"/> (or equal when <paramref name="inclusive"/>).</summary>
    public ConfigCheck Finite(string key, double value, double min, bool inclusive, double? below = null) =>
        Require(key, value, double.IsFinite(value) && (inclusive ? value >= min : value > min) && (below is not { } b || value < b),
            $"a finite number {(inclusive ? "of at least" : "greater than")} {Show(min)}{(below is { } top ? $" and less than {Show(top)}" : "")}");

    /// <summary>Fails unless the value (when given) is a whole number of at least <paramref name="min"/>.</summary>
    public ConfigCheck AtLeast(string key, int? value, int min) => Require(key, value, value is null || value >= min, $"at least {min}");

    private static string Show(object? value) => value switch
    {
        null => "missing",
        string s => $"'{(s.Length <= 60 ? s : s[..60] + "…")}'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
