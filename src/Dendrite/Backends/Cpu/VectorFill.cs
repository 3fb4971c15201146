using System.Runtime.Intrinsics;

namespace Dendrite.Backends.Cpu;

/// <summary>Float fills (zero_grad, gradients of a mean) with 16-lane stores: the framework's generic
/// Span.Fill&lt;float&gt; is compiled at run time even in ReadyToRun builds.</summary>
internal static class VectorFill
{
    public static unsafe void Float(Span<float> dst, float value)
    {
        fixed (float* p = dst)
        {
            int n = dst.Length, i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                var v = Vector512.Create(value);
                for (; i + 16 <= n; i += 16)
                    Vector512.Store(v, p + i);
            }
            for (; i < n; i++)
                p[i] = value;
        }
    }
}
