using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Dendrite.Backends.Cpu;

/// <summary>
/// <see cref="ReluMaxPool2x2.Forward"/> on one image's pixel-major convolution output (<see cref="ChannelConv2d"/>):
/// the same pooled values and gradient codes, written as channel planes, so <see cref="ReluMaxPool2x2.Backward"/>
/// serves the backward pass unchanged.
/// </summary>
/// <remarks>A window is 4 vectors of 16 channels: the max, ReLU and code are computed for all channels at once.</remarks>
internal static class ChannelReluMaxPool2x2
{
    private const int Lanes = ChannelConv2d.Lanes;

    /// <summary>
    /// <c>[h·w pixels × 16] → [o, h/2, w/2]</c>: <c>pooled = relu(max over each window)</c> and, unless
    /// <paramref name="codes"/> is empty, each window's code (<see cref="ReluMaxPool2x2"/>'s rules), for channels oc &lt; o.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> y, int o, int h, int w, Span<float> pooled, Span<byte> codes)
    {
        int oh = h / 2, ow = w / 2, pl = oh * ow;
        bool withCodes = !codes.IsEmpty;
        if (!Avx512F.IsSupported || o > Lanes || h < 2 || w < 2 || y.Length < h * w * Lanes || pooled.Length < o * pl
            || (withCodes && codes.Length < o * pl))
            throw new ArgumentException($"ChannelReluMaxPool2x2.Forward: {o} channels of {h}x{w} do not fit the buffers or the kernel.");
        ref float y0 = ref MemoryMarshal.GetReference(y);
        ref float p0 = ref MemoryMarshal.GetReference(pooled);
        ref byte c0 = ref MemoryMarshal.GetReference(codes);
        Span<float> tmp = stackalloc float[Lanes];
        Span<int> tmpCodes = stackalloc int[Lanes];
        ref float t0 = ref MemoryMarshal.GetReference(tmp);
        ref int tc0 = ref MemoryMarshal.GetReference(tmpCodes);
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int at = (2 * i * w + 2 * j) * Lanes;
                Vector512<float> a = Vector512.LoadUnsafe(ref y0, (nuint)at), b = Vector512.LoadUnsafe(ref y0, (nuint)(at + Lanes));
                Vector512<float> c = Vector512.LoadUnsafe(ref y0, (nuint)(at + w * Lanes));
                Vector512<float> d = Vector512.LoadUnsafe(ref y0, (nuint)(at + (w + 1) * Lanes));
                Vector512<float> m = a;
                m = Vector512.ConditionalSelect(Vector512.GreaterThan(b, m) | ~Vector512.Equals(b, b), b, m);
                m = Vector512.ConditionalSelect(Vector512.GreaterThan(c, m) | ~Vector512.Equals(c, c), c, m);
                m = Vector512.ConditionalSelect(Vector512.GreaterThan(d, m) | ~Vector512.Equals(d, d), d, m);
                Vector512<float> positive = Vector512.GreaterThan(m, Vector512<float>.Zero);
                Vector512<float> r = Vector512.ConditionalSelect(positive | ~Vector512.Equals(m, m), m, Vector512<float>.Zero);
                int win = i * ow + j;
                r.StoreUnsafe(ref t0);
                for (int oc = 0; oc < o; oc++)
                    Unsafe.Add(ref p0, oc * pl + win) = Unsafe.Add(ref t0, oc);
                if (!withCodes)
                    continue;
                Vector512<int> code = Vector512.ConditionalSelect(Vector512.Equals(c, m).AsInt32(), Vector512.Create(2), Vector512.Create(3));
                code = Vector512.ConditionalSelect(Vector512.Equals(b, m).AsInt32(), Vector512<int>.One, code);
                code = Vector512.ConditionalSelect(Vector512.Equals(a, m).AsInt32(), Vector512<int>.Zero, code);
                code = Vector512.ConditionalSelect(positive.AsInt32(), code, Vector512.Create((int)ReluMaxPool2x2.NoGradient));
                code.StoreUnsafe(ref tc0);
                for (int oc = 0; oc < o; oc++)
                    Unsafe.Add(ref c0, oc * pl + win) = (byte)Unsafe.Add(ref tc0, oc);
            }
    }
}
