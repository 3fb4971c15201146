namespace Dendrite.Backends.Cpu;

// Counter-based fills: element i depends only on (seed, counter + i), so the results equal the generator's
// sequential draws exactly.
internal sealed partial class CpuBackend
{
    private const double TwoPow53Inv = 1.0 / 9007199254740992.0;

    public void FillUniform(StorageView dst, ulong seed, ulong counter, double low, double high)
    {
        double span = high - low;
        if (dst.DType == DType.Float32)
        {
            var d = dst.Span<float>();
            for (int i = 0; i < d.Length; i++)
                d[i] = (float)(low + span * ((Generator.Output(seed, counter + (ulong)i + 1) >> 11) * TwoPow53Inv));
        }
        else
        {
            var d = dst.Span<double>();
            for (int i = 0; i < d.Length; i++)
                d[i] = low + span * ((Generator.Output(seed, counter + (ulong)i + 1) >> 11) * TwoPow53Inv);
        }
    }

    public void FillNormal(StorageView dst, ulong seed, ulong counter, double mean, double std)
    {
        if (dst.DType == DType.Float32)
        {
            var d = dst.Span<float>();
            for (int i = 0; i < d.Length; i++)
                d[i] = (float)(mean + std * Normal(seed, counter + 2 * (ulong)i));
        }
        else
        {
            var d = dst.Span<double>();
            for (int i = 0; i < d.Length; i++)
                d[i] = mean + std * Normal(seed, counter + 2 * (ulong)i);
        }
    }

    // sqrt(−2 ln(1 − u1))·cos(2π u2) from outputs c + 1 and c + 2.
    private static double Normal(ulong seed, ulong c)
    {
        double u1 = (Generator.Output(seed, c + 1) >> 11) * TwoPow53Inv;
        double u2 = (Generator.Output(seed, c + 2) >> 11) * TwoPow53Inv;
        return Math.Sqrt(-2.0 * Math.Log(1.0 - u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public void FillDropoutMask(StorageView dst, ulong seed, ulong counter, double p, double scale)
    {
        // u ≥ p  ⇔  (r >> 11) ≥ ceil(p·2⁵³): compare integers, no per-element floating conversion.
        ulong threshold = (ulong)Math.Ceiling(p * 9007199254740992.0);
        if (dst.DType == DType.Float32)
        {
            var d = dst.Span<float>();
            float s = (float)scale;
            for (int i = 0; i < d.Length; i++)
                d[i] = (Generator.Output(seed, counter + (ulong)i + 1) >> 11) >= threshold ? s : 0f;
        }
        else
        {
            var d = dst.Span<double>();
            for (int i = 0; i < d.Length; i++)
                d[i] = (Generator.Output(seed, counter + (ulong)i + 1) >> 11) >= threshold ? scale : 0.0;
        }
    }
}
