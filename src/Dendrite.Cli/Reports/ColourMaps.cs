using System.Globalization;

namespace Dendrite.Cli.Reports;

/// <summary>Colour scales for heat maps and coloured scatter points.</summary>
internal static class ColourMaps
{
    // Anchor colours of a perceptually ordered dark-blue -> green -> yellow scale.
    private static readonly (double R, double G, double B)[] ViridisAnchors =
        [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];

    private static readonly (double R, double G, double B)[] BlueAnchors = [(247, 251, 255), (158, 202, 225), (49, 130, 189), (8, 48, 107)];

    // Diverging scale for class probabilities: class 0 blue, 0.5 white, class 1 orange.
    private static readonly (double R, double G, double B)[] DivergingAnchors = [(58, 110, 180), (247, 247, 247), (230, 120, 40)];

    public static string Viridis(double t) => Hex(Lerp(ViridisAnchors, t));

    public static string Blues(double t) => Hex(Lerp(BlueAnchors, t));

    public static (byte R, byte G, byte B) DivergingRgb(double t) => Bytes(Lerp(DivergingAnchors, t));

    public static (byte R, byte G, byte B) ViridisRgb(double t) => Bytes(Lerp(ViridisAnchors, t));

    private static (double, double, double) Lerp((double R, double G, double B)[] anchors, double t)
    {
        if (!double.IsFinite(t)) t = 0;
        t = Math.Clamp(t, 0, 1) * (anchors.Length - 1);
        int i = Math.Min((int)t, anchors.Length - 2);
        double f = t - i;
        var (a, b) = (anchors[i], anchors[i + 1]);
        return (a.R + f * (b.R - a.R), a.G + f * (b.G - a.G), a.B + f * (b.B - a.B));
    }

    private static (byte, byte, byte) Bytes((double R, double G, double B) c) =>
        ((byte)Math.Round(c.R), (byte)Math.Round(c.G), (byte)Math.Round(c.B));

    private static string Hex((double R, double G, double B) c)
    {
        var (r, g, b) = Bytes(c);
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }
}
