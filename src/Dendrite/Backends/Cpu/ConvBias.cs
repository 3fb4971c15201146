using System.Numerics;
using System.Numerics.Tensors;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// The per-channel bias of a convolution, applied directly to the <c>[N, O, L]</c> output
/// (<c>L = OutH·OutW</c>) rather than folded into the GEMM.
/// </summary>
public static class ConvBias
{
    /// <summary>
    /// <c>output[n, o, :] += bias[o]</c> for every image n and channel o.
    /// </summary>
    /// <param name="output">Convolution output <c>[N, O, L]</c>, updated in place.</param>
    /// <param name="bias">Bias <c>[O]</c>.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="o">Output channels O.</param>
    /// <param name="l">Elements per output channel L (OutH·OutW).</param>
    public static void AddBias<T>(Span<T> output, ReadOnlySpan<T> bias, int n, int o, int l)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check("ConvBias.AddBias", output.Length, bias.Length, n, o, l);
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < o; ch++)
            {
                Span<T> plane = output.Slice((b * o + ch) * l, l);
                TensorPrimitives.Add(plane, bias[ch], plane);
            }
    }

    /// <summary>
    /// The bias gradient, <c>gradBias[o] = Σ_n Σ_l gradOut[n, o, l]</c>. <paramref name="gradBias"/> is
    /// <b>overwritten</b>.
    /// </summary>
    /// <param name="gradOut">Output gradient <c>[N, O, L]</c>.</param>
    /// <param name="gradBias">Destination <c>[O]</c>.</param>
    /// <param name="n">Batch size N.</param>
    /// <param name="o">Output channels O.</param>
    /// <param name="l">Elements per output channel L (OutH·OutW).</param>
    public static void BiasGrad<T>(ReadOnlySpan<T> gradOut, Span<T> gradBias, int n, int o, int l)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check("ConvBias.BiasGrad", gradOut.Length, gradBias.Length, n, o, l);
        for (int ch = 0; ch < o; ch++)
        {
            // Each plane is summed with TensorPrimitives' vectorised (multi-accumulator) reduction, then the
            // N partial sums are added, which keeps the float32 rounding error per term at O(log) rather
            // than one long serial chain.
            T sum = T.Zero;
            for (int b = 0; b < n; b++)
                sum += TensorPrimitives.Sum(gradOut.Slice((b * o + ch) * l, l));
            gradBias[ch] = sum;
        }
    }

    private static void Check(string op, int dataLength, int biasLength, int n, int o, int l)
    {
        ConvGeometry.CheckNonNegative(op, "batch size", n);
        ConvGeometry.CheckPositive(op, "channel count", o);
        ConvGeometry.CheckNonNegative(op, "plane size", l);
        ConvGeometry.CheckLength(op, "bias", biasLength, o);
        ConvGeometry.CheckLength(op, "output", dataLength, (long)n * o * l);
    }
}
