using System.Numerics;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// A direct nested-loop 2-D convolution (cross-correlation, as in PyTorch) used as the ground truth in tests.
/// Slow by design: it is the definition, with no tricks to get wrong.
/// </summary>
internal static class ConvReference
{
    /// <summary>
    /// <c>y[n, o, oh, ow] = bias[o] + Σ_{c in group(o)} Σ_{kh,kw} x[n, c, oh·sH − pH + kh·dH, ow·sW − pW + kw·dW] · w[o, c − c0, kh, kw]</c>
    /// with out-of-range taps reading zero. Shapes: <c>x [N, C, H, W]</c>, <c>w [O, C/groups, KH, KW]</c>,
    /// <c>bias [O]</c> or empty, <c>y [N, O, OutH, OutW]</c> (overwritten). <paramref name="g"/> describes the
    /// full input (its C is all channels); output channel o belongs to group <c>o / (O/groups)</c>.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> bias, Span<T> y,
        int n, in Conv2dGeometry g, int outChannels, int groups = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = g.C, h = g.H, wd = g.W, outH = g.OutH, outW = g.OutW;
        if (groups < 1 || c % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"ConvReference: groups {groups} must divide channels {c} and {outChannels}.");
        int cg = c / groups, og = outChannels / groups;
        ConvGeometry.CheckLength("ConvReference", "x", x.Length, (long)n * c * h * wd);
        ConvGeometry.CheckLength("ConvReference", "w", w.Length, (long)outChannels * cg * g.KH * g.KW);
        ConvGeometry.CheckLength("ConvReference", "y", y.Length, (long)n * outChannels * outH * outW);
        if (!bias.IsEmpty)
            ConvGeometry.CheckLength("ConvReference", "bias", bias.Length, outChannels);

        for (int b = 0; b < n; b++)
            for (int o = 0; o < outChannels; o++)
            {
                int c0 = o / og * cg;
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++)
                    {
                        T acc = bias.IsEmpty ? T.Zero : bias[o];
                        for (int ci = 0; ci < cg; ci++)
                            for (int kh = 0; kh < g.KH; kh++)
                            {
                                int ih = oh * g.StrideH - g.PadH + kh * g.DilationH;
                                if (ih < 0 || ih >= h)
                                    continue;
                                for (int kw = 0; kw < g.KW; kw++)
                                {
                                    int iw = ow * g.StrideW - g.PadW + kw * g.DilationW;
                                    if (iw < 0 || iw >= wd)
                                        continue;
                                    acc += x[((b * c + c0 + ci) * h + ih) * wd + iw]
                                         * w[((o * cg + ci) * g.KH + kh) * g.KW + kw];
                                }
                            }
                        y[((b * outChannels + o) * outH + oh) * outW + ow] = acc;
                    }
            }
    }
}
