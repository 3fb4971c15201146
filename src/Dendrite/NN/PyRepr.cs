using System.Globalization;

namespace Dendrite.NN;

/// <summary>Formats values the way Python's <c>repr</c> does, so module printouts match PyTorch's.</summary>
internal static class PyRepr
{
    /// <summary>Python's float repr: shortest round-trip digits, <c>1e-05</c>, <c>0.1</c>, <c>1.0</c>, <c>inf</c>.</summary>
    public static string Float(double v)
    {
        if (double.IsNaN(v))
            return "nan";
        if (double.IsInfinity(v))
            return v > 0 ? "inf" : "-inf";
        if (v == 0)
            return double.IsNegative(v) ? "-0.0" : "0.0";
        // Shortest round-trip digits and decimal exponent, then Python's layout rules (scientific when exp < -4 or >= 16).
        string sign = v < 0 ? "-" : "";
        string digits = ShortestDigits(Math.Abs(v), out int exp);
        if (exp < -4 || exp >= 16)
        {
            string mant = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture);
        }
        if (exp < 0)
            return sign + "0." + new string('0', -exp - 1) + digits;
        if (digits.Length <= exp + 1)
            return sign + digits + new string('0', exp + 1 - digits.Length) + ".0";
        return sign + digits[..(exp + 1)] + "." + digits[(exp + 1)..];
    }

    // Digits of the shortest round-trip representation of v > 0, with v = 0.d1d2... × 10^(exp+1).
    private static string ShortestDigits(double v, out int exp)
    {
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        int ePos = s.IndexOfAny(['E', 'e']);
        int baseExp = 0;
        if (ePos >= 0)
        {
            baseExp = int.Parse(s[(ePos + 1)..], CultureInfo.InvariantCulture);
            s = s[..ePos];
        }
        int dot = s.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot >= 0 ? s[..dot] : s;
        string frac = dot >= 0 ? s[(dot + 1)..] : "";
        string all = intPart + frac;
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0')
            lead++;
        exp = intPart.Length - 1 - lead + baseExp;
        string digits = all[lead..].TrimEnd('0');
        return digits.Length == 0 ? "0" : digits;
    }

    /// <summary>Python's bool repr.</summary>
    public static string Bool(bool b) => b ? "True" : "False";

    /// <summary>A Python tuple of ints: <c>(3, 3)</c>, <c>(10,)</c>.</summary>
    public static string Tuple(IReadOnlyList<int> values) =>
        values.Count == 1 ? "(" + values[0].ToString(CultureInfo.InvariantCulture) + ",)" : "(" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture))) + ")";

    /// <summary>An int as Python prints it.</summary>
    public static string Int(long v) => v.ToString(CultureInfo.InvariantCulture);
}
