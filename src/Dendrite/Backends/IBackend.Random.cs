namespace Dendrite.Backends;

// Random fills draw from a counter-based stream (see Generator): element i of a fill that starts after counter c uses
// raw output c + i + 1 (normals: c + 2i + 1 and c + 2i + 2), so every backend produces the same numbers.
internal partial interface IBackend
{
    /// <summary>Uniforms in [low, high) into dense floating <paramref name="dst"/> (computed in double, rounded to the dtype).</summary>
    void FillUniform(StorageView dst, ulong seed, ulong counter, double low, double high);

    /// <summary>mean + std·N(0, 1) (Box–Muller cosine from two consecutive uniforms) into dense floating <paramref name="dst"/>.</summary>
    void FillNormal(StorageView dst, ulong seed, ulong counter, double mean, double std);

    /// <summary>Inverted-dropout mask into dense floating <paramref name="dst"/>: <paramref name="scale"/> where the draw's top 53 bits are ≥ ceil(p·2⁵³), else 0.</summary>
    void FillDropoutMask(StorageView dst, ulong seed, ulong counter, double p, double scale);
}
