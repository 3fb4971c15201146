namespace Dendrite.Backends;

// Reductions see their input as a dense [outer, r, inner] block and reduce the middle dimension, giving [outer, inner].
internal partial interface IBackend
{
    /// <summary>dst[o, i] = scale·Σ_k src[o, k, i] (Float32, Float64; Int64 sums exactly and ignores the scale).</summary>
    void Sum(StorageView src, int outer, int r, int inner, StorageView dst, double scale);

    /// <summary>The max (or min) over the middle dim and the index of its first occurrence (Int64); NaN wins, as in PyTorch.</summary>
    void ArgExtreme(StorageView src, int outer, int r, int inner, StorageView values, StorageView indices, bool max);

    /// <summary>gx[o, indices[o, i], i] = g[o, i] into dense <paramref name="gx"/> [outer, r, inner], whose other elements are set to 0.</summary>
    void ScatterArg(StorageView g, StorageView indices, int outer, int r, int inner, StorageView gx);

    /// <summary>Mean and variance (dividing by r − ddof) over the middle dim.</summary>
    void Moments(StorageView src, int outer, int r, int inner, StorageView mean, StorageView variance, int ddof);

    /// <summary>dst[o, i] = log Σ_k exp(src[o, k, i]), max-shifted.</summary>
    void LogSumExp(StorageView src, int outer, int r, int inner, StorageView dst);

    /// <summary>Softmax (or log-softmax) over the middle dim into dense <paramref name="dst"/> of src's size.</summary>
    void Softmax(StorageView src, int outer, int r, int inner, StorageView dst, bool log);

    /// <summary>Softmax backward from the saved output y: gx = y·(g − Σ g·y), or for log-softmax gx = g − eʸ·Σ g.</summary>
    void SoftmaxBackward(StorageView g, StorageView y, int outer, int r, int inner, StorageView gx, bool log);
}
