using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Dendrite.Cli.Commands;

/// <summary>
/// Options whose values are numbers, parsed with a message a person can act on ("--epochs expects a whole number,
/// got 'abc'") instead of the parser's type names. Ranges are checked later, in one place for the command line and
/// the config file (<see cref="Training.TrainConfig.Validate"/>).
/// </summary>
public static class CliOptions
{
    /// <summary>An optional whole-number option.</summary>
    public static Option<int?> Int(string name, string description, string? helpName = null) =>
        new(name) { Description = description, HelpName = helpName, CustomParser = r => ParseInt(r, name) };

    /// <summary>A whole-number option with a default.</summary>
    public static Option<int> Int(string name, string description, int defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, CustomParser = r => ParseInt(r, name) ?? defaultValue };

    /// <summary>An optional number option (decimal or exponent notation).</summary>
    public static Option<double?> Number(string name, string description) =>
        new(name) { Description = description, CustomParser = r => ParseNumber(r, name) };

    /// <summary>
    /// An optional text option checked as it is parsed: a value <paramref name="valid"/> refuses is a usage error
    /// "&lt;name&gt; is '&lt;value&gt;', but must be &lt;allowed&gt;" (for options that exist outside a train config,
    /// such as a device choice on several commands).
    /// </summary>
    public static Option<string?> Text(string name, string description, Func<string, bool> valid, string allowed) =>
        new(name)
        {
            Description = description,
            CustomParser = r =>
            {
                if (Token(r, name) is not { } s)
                    return null;
                if (valid(s))
                    return s;
                r.AddError($"{name} is '{Shorten(s)}', but must be {allowed}");
                return null;
            },
        };

    /// <summary>--device, checked while parsing: a device name this machine can use (the message says why not).</summary>
    public static Option<string?> Device(string description) =>
        new("--device")
        {
            Description = description,
            CustomParser = r =>
            {
                if (Token(r, "--device") is not { } s)
                    return null;
                if (Training.DeviceChoice.Problem(s) is not { } problem)
                    return s;
                r.AddError($"--device is '{Shorten(s)}': {problem}");
                return null;
            },
        };

    /// <summary>A flag that may also be given a value: <c>--batchnorm</c>, <c>--batchnorm true</c>, <c>--batchnorm false</c>.</summary>
    public static Option<bool?> Flag(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne, CustomParser = r => ParseFlag(r, name) };

    private static bool? ParseFlag(ArgumentResult r, string name)
    {
        if (r.Tokens.Count == 0)
            return true;
        if (bool.TryParse(r.Tokens[0].Value, out bool v))
            return v;
        r.AddError($"{name} takes no value, or true or false; got '{Shorten(r.Tokens[0].Value)}'");
        return null;
    }

    private static string? Token(ArgumentResult r, string name)
    {
        if (r.Tokens.Count == 1)
            return r.Tokens[0].Value;
        r.AddError($"{name} expects one value, got {r.Tokens.Count}");
        return null;
    }

    private static int? ParseInt(ArgumentResult r, string name)
    {
        if (Token(r, name) is not { } s)
            return null;
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
            return v;
        r.AddError(long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"{name} expects a whole number between {int.MinValue} and {int.MaxValue}, got '{Shorten(s)}'"
            : $"{name} expects a whole number, got '{Shorten(s)}'");
        return null;
    }

    private static double? ParseNumber(ArgumentResult r, string name)
    {
        if (Token(r, name) is not { } s)
            return null;
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && s.Any(char.IsAsciiDigit))
            return v;
        r.AddError($"{name} expects a number such as 0.001 or 1e-3, got '{Shorten(s)}'");
        return null;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
