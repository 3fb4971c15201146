namespace Dendrite.Cli.Reports;

/// <summary>Marching squares: the line segments where a gridded function crosses a level.</summary>
public static class Contours
{
    /// <summary>A segment between two points given in fractional grid coordinates (i along x, j along y).</summary>
    public readonly record struct Segment(double X0, double Y0, double X1, double Y1);

    /// <summary>
    /// Segments of the iso-line <c>z = level</c> of a grid <paramref name="z"/> [ny, nx] (row-major, y major).
    /// </summary>
    public static List<Segment> Segments(double[] z, int nx, int ny, double level)
    {
        if (z.Length != nx * ny) throw new ArgumentException($"Contours.Segments: {z.Length} values do not fill a {ny}x{nx} grid");
        var segs = new List<Segment>();
        Span<(double X, double Y)> pts = stackalloc (double, double)[4];
        for (int j = 0; j + 1 < ny; j++)
        {
            for (int i = 0; i + 1 < nx; i++)
            {
                // Corners counter-clockwise from bottom-left: (i,j), (i+1,j), (i+1,j+1), (i,j+1).
                double a = z[j * nx + i], b = z[j * nx + i + 1], c = z[(j + 1) * nx + i + 1], d = z[(j + 1) * nx + i];
                if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c) || !double.IsFinite(d)) continue;
                int n = 0;
                // Each edge whose endpoints lie on opposite sides of the level holds one crossing point.
                if ((a < level) != (b < level)) pts[n++] = (i + Frac(a, b, level), j);
                if ((b < level) != (c < level)) pts[n++] = (i + 1, j + Frac(b, c, level));
                if ((c < level) != (d < level)) pts[n++] = (i + 1 - Frac(c, d, level), j + 1);
                if ((d < level) != (a < level)) pts[n++] = (i, j + 1 - Frac(d, a, level));
                if (n == 2) segs.Add(new Segment(pts[0].X, pts[0].Y, pts[1].X, pts[1].Y));
                else if (n == 4)
                {
                    // Saddle: pair the crossings according to the centre value.
                    double centre = (a + b + c + d) / 4;
                    if ((centre < level) == (a < level))
                    {
                        segs.Add(new Segment(pts[0].X, pts[0].Y, pts[1].X, pts[1].Y));
                        segs.Add(new Segment(pts[2].X, pts[2].Y, pts[3].X, pts[3].Y));
                    }
                    else
                    {
                        segs.Add(new Segment(pts[0].X, pts[0].Y, pts[3].X, pts[3].Y));
                        segs.Add(new Segment(pts[1].X, pts[1].Y, pts[2].X, pts[2].Y));
                    }
                }
            }
        }
        return segs;
    }

    private static double Frac(double from, double to, double level) => Math.Abs(to - from) < 1e-300 ? 0.5 : (level - from) / (to - from);
}
