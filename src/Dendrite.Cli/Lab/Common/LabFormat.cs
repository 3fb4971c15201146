using System.Globalization;
using System.Text;

namespace Dendrite.Cli.Lab.Common;

/// <summary>
/// Number formats for lab tables and logs: scientific notation as PyTorch prints small weights (<c>1.2101e-05</c>),
/// and signed fixed-point values whose sign is never lost or doubled.
/// </summary>
public static class LabFormat
{
    /// <summary>
    /// <paramref name="value"/> in scientific notation with <paramref name="digits"/> decimals, as PyTorch prints
    /// tensors of small numbers: <c>1.2101e-05</c>, <c>-9.0942e-06</c>, <c>0.0000e+00</c> (negative zero prints as zero).
    /// </summary>
    public static string Sci(double value, int digits = 4)
    {
        if (value == 0) value = 0; // -0.0 → 0.0
        if (!double.IsFinite(value)) return Special(value);
        return value.ToString("0." + new string('0', digits) + "e+00", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <paramref name="value"/> with <paramref name="decimals"/> decimals and an explicit sign: <c>+0.0012</c>,
    /// <c>-0.0012</c>; a value that rounds to zero prints as <c>+0.0000</c> (never <c>-+0.0000</c>, which .NET's
    /// sectioned format <c>+0.0000;-0.0000</c> gives for small negative numbers).
    /// </summary>
    public static string Signed(double value, int decimals = 4)
    {
        if (!double.IsFinite(value)) return Special(value);
        double rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        string digits = Math.Abs(rounded).ToString("F" + decimals, CultureInfo.InvariantCulture);
        return (rounded < 0 ? "-" : "+") + digits;
    }

    /// <summary>
    /// A row-major matrix in PyTorch's layout, every entry in <see cref="Sci"/> form and right-aligned:
    /// <c>[[ 1.2101e-05, -9.0942e-06],</c> / <c> [ 1.2101e-05, -9.0942e-06]]</c>, continuation lines indented by
    /// <paramref name="indent"/> spaces.
    /// </summary>
    public static string Matrix(IReadOnlyList<float> values, int rows, int columns, int indent = 0, int digits = 4)
    {
        if (values.Count != rows * columns)
            throw new ArgumentException($"LabFormat.Matrix: {values.Count} values do not fill {rows}×{columns}");
        var cells = values.Select(v => Sci(v, digits)).ToArray();
        int width = cells.Max(c => c.Length);
        var sb = new StringBuilder("[");
        for (int r = 0; r < rows; r++)
        {
            if (r > 0) sb.Append(",\n").Append(' ', indent + 1);
            sb.Append('[');
            for (int c = 0; c < columns; c++)
            {
                if (c > 0) sb.Append(", ");
                sb.Append(cells[r * columns + c].PadLeft(width));
            }
            sb.Append(']');
        }
        return sb.Append(']').ToString();
    }

    /// <summary>A vector in PyTorch's layout with every entry in <see cref="Sci"/> form: <c>[9.3750e-04, 9.3750e-04]</c>.</summary>
    public static string Vector(IEnumerable<float> values, int digits = 4) => "[" + string.Join(", ", values.Select(v => Sci(v, digits))) + "]";

    private static string Special(double value) => double.IsNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
}
